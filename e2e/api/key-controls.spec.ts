import OpenAI from "openai";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { newSignedInContext } from "../helpers/accounts";
import { createManagementKey, expectError, keyClient } from "../helpers/management";

/**
 * Per-key controls through the built server: set with the management API (a Management
 * key), enforced on /v1 as the openai SDK sees it, with the error codes PRODUCT.md lists.
 */
const sdk = (key: string) =>
  new OpenAI({ apiKey: key, baseURL: `${process.env.MB_BASE_URL}/v1`, maxRetries: 0 });
const hi = (key: string, model = "modelbridge/echo") =>
  sdk(key).chat.completions.create({
    model,
    messages: [{ role: "user", content: "hi" }],
    max_tokens: 5,
  });

test.describe("key controls", () => {
  let api: APIRequestContext;
  let close: () => Promise<void>;

  test.beforeAll(async ({ browser }) => {
    const { context, request } = await newSignedInContext(browser);
    api = await keyClient(await createManagementKey(request));
    close = async () => {
      await api.dispose();
      await context.close();
    };
  });
  test.afterAll(async () => close?.());

  async function create(data: Record<string, unknown>) {
    const response = await api.post("/api/v1/keys", { data: { name: "controlled", ...data } });
    expect(response.status(), await response.text()).toBe(201);
    return (await response.json()) as { id: string; key: string } & Record<string, unknown>;
  }

  test("allowed models: 403 model_not_allowed, and /v1/models lists only those", async () => {
    const key = await create({ allowed_models: ["modelbridge/echo"] });
    expect(key.allowed_models).toEqual(["modelbridge/echo"]);
    await expect(hi(key.key)).resolves.toMatchObject({ object: "chat.completion" });
    await expect(hi(key.key, "some-other-model")).rejects.toMatchObject({
      status: 403,
      code: "model_not_allowed",
    });
    const models = await sdk(key.key).models.list();
    expect(models.data.map((m) => m.id)).toEqual(["modelbridge/echo"]);
  });

  test("pause and resume: 403 key_paused, Anthropic's envelope on /v1/messages", async () => {
    const key = await create({});
    const paused = await api.post(`/api/v1/keys/${key.id}/pause`);
    expect(await paused.json()).toMatchObject({ status: "paused", paused: true });
    await expect(hi(key.key)).rejects.toMatchObject({ status: 403, code: "key_paused" });
    const messages = await fetch(`${process.env.MB_BASE_URL}/v1/messages`, {
      method: "POST",
      headers: {
        "x-api-key": key.key,
        "anthropic-version": "2023-06-01",
        "content-type": "application/json",
      },
      body: JSON.stringify({
        model: "modelbridge/echo",
        max_tokens: 5,
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    expect(messages.status).toBe(403);
    expect(await messages.json()).toMatchObject({
      type: "error",
      error: { type: "permission_error", code: "key_paused" },
    });
    expect(await (await api.post(`/api/v1/keys/${key.id}/resume`)).json()).toMatchObject({
      status: "active",
      paused: false,
    });
    await expect(hi(key.key)).resolves.toMatchObject({ object: "chat.completion" });
  });

  test("roll: 201 with the new key once; the old one gets 401 key_rotated without a grace period", async () => {
    const key = await create({});
    const rolled = await api.post(`/api/v1/keys/${key.id}/roll`, {
      data: { grace_period_seconds: 0 },
    });
    expect(rolled.status()).toBe(201);
    const body = await rolled.json();
    expect(body.id).toBe(key.id);
    expect(body.key).toMatch(/^mb_live_/);
    expect(body.key).not.toBe(key.key);
    await expect(hi(body.key)).resolves.toMatchObject({ object: "chat.completion" });
    await expect(hi(key.key)).rejects.toMatchObject({ status: 401, code: "key_rotated" });
    const one = await (await api.get(`/api/v1/keys/${key.id}`)).json();
    expect(one).not.toHaveProperty("key");
    await expectError(
      await api.post(`/api/v1/keys/${key.id}/roll`, { data: { grace_period_seconds: 60 } }),
      422,
      "invalid_request",
      "grace_period_seconds",
    );
  });

  test("roll with a grace period: both secrets work", async () => {
    const key = await create({});
    const body = await (
      await api.post(`/api/v1/keys/${key.id}/roll`, { data: { grace_period_seconds: 3600 } })
    ).json();
    expect(Date.parse(body.previous_key_expires_at) - Date.now()).toBeGreaterThan(3_500_000);
    await expect(hi(key.key)).resolves.toMatchObject({ object: "chat.completion" });
    await expect(hi(body.key)).resolves.toMatchObject({ object: "chat.completion" });
  });

  test("IP allowlist: 403 ip_not_allowed from outside, served once the range covers the client", async () => {
    const key = await create({ ip_allowlist: ["203.0.113.0/24", "2001:db8::/32"] });
    expect(key.ip_allowlist).toEqual(["203.0.113.0/24", "2001:db8::/32"]);
    await expect(hi(key.key)).rejects.toMatchObject({ status: 403, code: "ip_not_allowed" });
    const patched = await api.patch(`/api/v1/keys/${key.id}`, {
      data: { ip_allowlist: ["127.0.0.1", "::1"] },
    });
    expect((await patched.json()).ip_allowlist).toEqual(["127.0.0.1/32", "::1/128"]);
    await expect(hi(key.key)).resolves.toMatchObject({ object: "chat.completion" });
    await expectError(
      await api.patch(`/api/v1/keys/${key.id}`, { data: { ip_allowlist: ["not-an-ip"] } }),
      422,
      "invalid_request",
    );
  });

  test("rate limit: 429 rate_limit_exceeded with retry-after and the x-ratelimit headers", async () => {
    const key = await create({ rate_limits: { requests_per_minute: 2 } });
    expect(key.rate_limits).toEqual({
      requests_per_minute: 2,
      tokens_per_minute: null,
      max_concurrent: null,
    });
    const first = await sdk(key.key)
      .chat.completions.create({
        model: "modelbridge/echo",
        messages: [{ role: "user", content: "hi" }],
        max_tokens: 5,
      })
      .withResponse();
    expect(first.response.headers.get("x-ratelimit-limit-requests")).toBe("2");
    await hi(key.key).catch(() => undefined);
    const error = await hi(key.key).catch((e) => e);
    expect(error).toMatchObject({
      status: 429,
      code: "rate_limit_exceeded",
      type: "rate_limit_error",
    });
    expect(Number(error.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(error.headers.get("x-ratelimit-remaining-requests")).toBe("0");
  });

  test("budget period: the key shows its period, period spend and reset time", async () => {
    const key = await create({ spending_limit: "5.00", budget_period: "daily" });
    const tomorrow = new Date();
    tomorrow.setUTCHours(24, 0, 0, 0);
    expect(key).toMatchObject({
      budget_period: "daily",
      period_spend: "0.00",
      period_resets_at: tomorrow.toISOString(),
      alert_thresholds: [50, 80, 100],
    });
    await hi(key.key);
  });
});
