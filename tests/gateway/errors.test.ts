import { describe, expect, it } from "vitest";
import OpenAI from "openai";
import {
  client,
  createKey,
  createUser,
  disableOverage,
  registerFakeModels,
  harnessForFile,
  usageFor,
} from "../helpers/harness";

/** PRODUCT.md's error table, row by row, as an SDK user sees it. */
const t = harnessForFile(async (h) => {
  await registerFakeModels(h.database, h.upstream.url, [
    "json",
    "slow",
    "error-500",
    "error-429",
    "redirect",
  ]);
  const user = await createUser(h.database);
  const userId = user.id;
  const created = await createKey(h.database, { userId });
  const key = created.key;
  const keyId = created.row.id;
  return { key, keyId, userId };
});

const ask = (apiKey: string, body: Record<string, unknown> = {}) =>
  client(t.h.baseURL, apiKey)
    .chat.completions.create({
      model: "fake/json",
      messages: [{ role: "user", content: "hi" }],
      ...body,
    } as never)
    .then(
      () => null,
      (error: unknown) => error as InstanceType<typeof OpenAI.APIError>,
    );

async function rawPost(headers: Record<string, string>, body: string) {
  const response = await fetch(`${t.h.baseURL}/chat/completions`, {
    method: "POST",
    headers,
    body,
  });
  return {
    status: response.status,
    requestId: response.headers.get("x-request-id"),
    json: (await response.json()) as { error: Record<string, unknown> },
  };
}

describe("the /v1 error table", () => {
  it("401 missing_api_key: no key, or not a Bearer key", async () => {
    const none = await rawPost({ "content-type": "application/json" }, "{}");
    expect(none.status).toBe(401);
    expect(none.json.error).toMatchObject({
      code: "missing_api_key",
      type: "authentication_error",
      param: null,
    });
    expect(none.requestId).toMatch(/^req_/);
    const basic = await rawPost(
      { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` },
      "{}",
    );
    expect(basic.json.error.code).toBe("missing_api_key");
  });

  it("401 invalid_api_key: unknown key and bad checksum", async () => {
    const { generateKey } = await import("@/lib/keys/format");
    const unknown = await ask(generateKey("live"));
    expect(unknown).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(unknown?.code).toBe("invalid_api_key");
    const typo = t.value.key.slice(0, -1) + (t.value.key.endsWith("a") ? "b" : "a");
    expect((await ask(typo))?.code).toBe("invalid_api_key");
    expect((await ask("sk-not-ours"))?.code).toBe("invalid_api_key");
  });

  it("401 key_revoked, 401 key_expired", async () => {
    const { apiKeys } = await import("@/db/schema");
    const { eq } = await import("drizzle-orm");
    const revoked = await createKey(t.h.database, { userId: t.value.userId });
    await t.h.database.db
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(eq(apiKeys.id, revoked.row.id));
    const error = await ask(revoked.key);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error?.code).toBe("key_revoked");

    const expired = await createKey(t.h.database, {
      userId: t.value.userId,
      expiresAt: new Date(Date.now() - 1000),
    });
    expect((await ask(expired.key))?.code).toBe("key_expired");
  });

  it("403 wrong_key_type: a management key on /v1", async () => {
    const management = await createKey(t.h.database, {
      userId: t.value.userId,
      type: "management",
    });
    const error = await ask(management.key);
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(error?.code).toBe("wrong_key_type");
  });

  it("429 limit_reached (type insufficient_quota) for a spent key", async () => {
    const { apiKeys } = await import("@/db/schema");
    const { eq } = await import("drizzle-orm");
    const spent = await createKey(t.h.database, { userId: t.value.userId, spendingLimit: 100n });
    await t.h.database.db.update(apiKeys).set({ spend: 100n }).where(eq(apiKeys.id, spent.row.id));
    const error = await ask(spent.key);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error?.code).toBe("limit_reached");
    expect(error?.type).toBe("insufficient_quota");
  });

  it("402 insufficient_balance when overage is off and nothing is left", async () => {
    const broke = await createUser(t.h.database);
    await disableOverage(t.h.database, broke.id);
    const brokeKey = await createKey(t.h.database, { userId: broke.id });
    const error = await ask(brokeKey.key);
    expect(error?.status).toBe(402);
    expect(error?.code).toBe("insufficient_balance");
  });

  it("404 model_not_found", async () => {
    const error = await ask(t.value.key, { model: "no/such-model" });
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error?.code).toBe("model_not_found");
    expect(error?.param).toBe("model");
  });

  it("400 invalid_request: body not JSON, or failing the schema", async () => {
    const notJson = await rawPost(
      { authorization: `Bearer ${t.value.key}`, "content-type": "application/json" },
      "{nope",
    );
    expect(notJson.status).toBe(400);
    expect(notJson.json.error.code).toBe("invalid_request");
    const error = await ask(t.value.key, { messages: "not a list" });
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error?.code).toBe("invalid_request");
    expect(error?.param).toBe("messages");
  });

  it("413 request_too_large, refused before the whole body is read", async () => {
    const huge = "x".repeat(9 * 1024 * 1024);
    const error = await ask(t.value.key, { messages: [{ role: "user", content: huge }] });
    expect(error?.status).toBe(413);
    expect(error?.code).toBe("request_too_large");
  });

  it("502 upstream_error: upstream 5xx, a redirect, or unreachable", async () => {
    const fiveHundred = await ask(t.value.key, { model: "fake/error-500" });
    expect(fiveHundred).toBeInstanceOf(OpenAI.InternalServerError);
    expect(fiveHundred?.status).toBe(502);
    expect(fiveHundred?.code).toBe("upstream_error");
    expect((await ask(t.value.key, { model: "fake/redirect" }))?.code).toBe("upstream_error");

    const { createModel } = await import("@/lib/models/service");
    const { createModelInput } = await import("@/lib/models/schemas");
    await createModel(
      t.h.database,
      createModelInput.parse({
        name: "fake/down",
        base_url: "http://127.0.0.1:1/v1",
        input_price_per_million: 1,
        output_price_per_million: 1,
      }),
      null,
    );
    const down = await ask(t.value.key, { model: "fake/down" });
    expect(down?.status).toBe(502);
    expect(down?.code).toBe("upstream_error");
  });

  it("504 upstream_timeout for a slow upstream, and nothing is charged", async () => {
    const started = Date.now();
    const error = await ask(t.value.key, { model: "fake/slow", fake_delay_ms: 5000 });
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error?.status).toBe(504);
    expect(error?.code).toBe("upstream_timeout");
    // The model's first-byte timeout is 1 s.
    expect(Date.now() - started).toBeLessThan(4000);
    await t.h.runtime.flush();
    const record = (await usageFor(t.h.database, t.value.keyId)).find(
      (r) => r.model === "fake/slow",
    );
    expect(record).toMatchObject({ status: 504, errorCode: "upstream_timeout", cost: 0n });
  });

  it("the upstream's 429 stays a 429 the SDK can back off on", async () => {
    const error = await ask(t.value.key, { model: "fake/error-429" });
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error?.code).toBe("upstream_rate_limited");
  });

  it("every error carries x-request-id and OpenAI's envelope", async () => {
    const error = await ask(t.value.key, { model: "no/such-model" });
    expect(error?.requestID).toMatch(/^req_/);
    expect(error?.error).toMatchObject({
      message: expect.any(String),
      type: "invalid_request_error",
      code: "model_not_found",
    });
  });
});
