import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { createKey, type CreateKeyInput } from "@/lib/keys/create-key";
import { pauseKey, resumeKey } from "@/lib/keys/pause-key";
import { rollKey } from "@/lib/keys/roll-key";
import { updateKey } from "@/lib/keys/update-key";
import type { Actor } from "@/lib/core/actor";
import { makeActor } from "../helpers/actors";
import { client, registerFakeModels, harnessForFile } from "../helpers/harness";

/**
 * Allowed models, IP allowlist, pause and roll, through the real gateway with the openai
 * SDK, changed through the key services (so the cache invalidation they do is what is tested).
 */
const t = harnessForFile(async (h) => {
  await registerFakeModels(h.database, h.upstream.url, ["json"]);
  const alice = await makeActor(h.database.db, "Alice");
  return { alice };
});

afterEach(() => {
  delete process.env.TRUST_PROXY;
  resetEnvCache();
});

const newKey = (extra: Partial<CreateKeyInput> = {}) =>
  createKey(t.h.database.db, t.value.alice, {
    name: "controls",
    type: "model_serving",
    teamId: null,
    spendingLimit: null,
    expiresAt: null,
    ...extra,
  });

const chat = (apiKey: string, model = "fake/json", headers: Record<string, string> = {}) =>
  client(t.h.baseURL, apiKey).chat.completions.create(
    { model, messages: [{ role: "user", content: "hi" }] },
    { headers },
  );

/** Anthropic's Messages endpoint with its own header, read raw to see its envelope. */
async function messages(apiKey: string, model: string) {
  const response = await fetch(`${t.h.baseURL}/messages`, {
    method: "POST",
    headers: {
      "x-api-key": apiKey,
      "anthropic-version": "2023-06-01",
      "content-type": "application/json",
    },
    body: JSON.stringify({ model, max_tokens: 16, messages: [{ role: "user", content: "hi" }] }),
  });
  return { status: response.status, body: await response.json() };
}

describe("allowed models", () => {
  it("refuses other models with 403 model_not_allowed and lists only the allowed ones", async () => {
    const { rawKey } = await newKey({ allowedModels: ["fake/json"] });
    await expect(chat(rawKey)).resolves.toMatchObject({ object: "chat.completion" });
    const error = await chat(rawKey, "modelbridge/echo").catch((e) => e);
    expect(error).toMatchObject({
      status: 403,
      code: "model_not_allowed",
      type: "permission_error",
      param: "model",
    });
    const embed = await client(t.h.baseURL, rawKey)
      .embeddings.create({ model: "fake/embed", input: "x" })
      .catch((e) => e);
    expect(embed).toMatchObject({ status: 403, code: "model_not_allowed" });
    const list = await client(t.h.baseURL, rawKey).models.list();
    expect(list.data.map((m) => m.id)).toEqual(["fake/json"]);
  });

  it("answers Anthropic's envelope on /v1/messages and refuses count_tokens too", async () => {
    const { rawKey } = await newKey({ allowedModels: ["fake/json"] });
    const refused = await messages(rawKey, "modelbridge/echo");
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      type: "error",
      error: { type: "permission_error", code: "model_not_allowed" },
    });
    const count = await fetch(`${t.h.baseURL}/messages/count_tokens`, {
      method: "POST",
      headers: {
        "x-api-key": rawKey,
        "anthropic-version": "2023-06-01",
        "content-type": "application/json",
      },
      body: JSON.stringify({
        model: "modelbridge/echo",
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    expect(count.status).toBe(403);
  });

  it("takes an edit into account at once", async () => {
    const { key, rawKey } = await newKey();
    await expect(chat(rawKey, "modelbridge/echo")).resolves.toMatchObject({
      object: "chat.completion",
    });
    await updateKey(t.h.database.db, t.value.alice, key.id, { allowedModels: ["fake/json"] });
    await expect(chat(rawKey, "modelbridge/echo")).rejects.toMatchObject({
      status: 403,
      code: "model_not_allowed",
    });
  });
});

describe("pause and resume", () => {
  it("refuses a paused key with 403 key_paused on every endpoint, and serves it again once resumed", async () => {
    const { key, rawKey } = await newKey();
    await chat(rawKey);
    await pauseKey(t.h.database.db, t.value.alice, key.id);
    await expect(chat(rawKey)).rejects.toMatchObject({ status: 403, code: "key_paused" });
    await expect(client(t.h.baseURL, rawKey).models.list()).rejects.toMatchObject({
      status: 403,
      code: "key_paused",
    });
    const anthropic = await messages(rawKey, "fake/json");
    expect(anthropic).toMatchObject({
      status: 403,
      body: { type: "error", error: { type: "permission_error", code: "key_paused" } },
    });
    await resumeKey(t.h.database.db, t.value.alice, key.id);
    await expect(chat(rawKey)).resolves.toMatchObject({ object: "chat.completion" });
  });
});

describe("roll", () => {
  it("serves the new secret at once; with no grace the old one gets 401 key_rotated", async () => {
    const { key, rawKey } = await newKey();
    await chat(rawKey);
    const rolled = await rollKey(t.h.database.db, t.value.alice, key.id, 0);
    await expect(chat(rolled.rawKey)).resolves.toMatchObject({ object: "chat.completion" });
    await expect(chat(rawKey)).rejects.toMatchObject({ status: 401, code: "key_rotated" });
  });

  it("keeps the old secret working during the grace period, then refuses it", async () => {
    const { key, rawKey } = await newKey();
    const rolled = await rollKey(t.h.database.db, t.value.alice, key.id, 3600);
    await expect(chat(rawKey)).resolves.toMatchObject({ object: "chat.completion" });
    await expect(chat(rolled.rawKey)).resolves.toMatchObject({ object: "chat.completion" });
    // The grace ends: move it into the past, as an hour passing would.
    const { apiKeys } = await import("@/db/schema");
    const { eq } = await import("drizzle-orm");
    const { notifyKeyChanged } = await import("@/lib/keys/key-notify");
    await t.h.database.db
      .update(apiKeys)
      .set({ previousKeyExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, key.id));
    await notifyKeyChanged(key.id, t.h.database);
    await expect(chat(rawKey)).rejects.toMatchObject({ status: 401, code: "key_rotated" });
    await expect(chat(rolled.rawKey)).resolves.toMatchObject({ object: "chat.completion" });
  });

  it("a paused rolled key is paused under both secrets", async () => {
    const { key, rawKey } = await newKey();
    const rolled = await rollKey(t.h.database.db, t.value.alice, key.id, 3600);
    await chat(rawKey);
    await chat(rolled.rawKey);
    await pauseKey(t.h.database.db, t.value.alice, key.id);
    await expect(chat(rawKey)).rejects.toMatchObject({ status: 403, code: "key_paused" });
    await expect(chat(rolled.rawKey)).rejects.toMatchObject({ status: 403, code: "key_paused" });
  });
});

describe("rate limits on /v1/messages", () => {
  it("answers Anthropic's envelope: 429 rate_limit_error with retry-after and the x-ratelimit headers", async () => {
    const { rawKey } = await newKey({ rateLimits: { requestsPerMinute: 1 } });
    expect((await messages(rawKey, "fake/json")).status).toBe(200);
    const response = await fetch(`${t.h.baseURL}/messages`, {
      method: "POST",
      headers: {
        "x-api-key": rawKey,
        "anthropic-version": "2023-06-01",
        "content-type": "application/json",
      },
      body: JSON.stringify({
        model: "fake/json",
        max_tokens: 16,
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    expect(response.status).toBe(429);
    expect(await response.json()).toMatchObject({
      type: "error",
      error: { type: "rate_limit_error", code: "rate_limit_exceeded" },
    });
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(response.headers.get("x-ratelimit-limit-requests")).toBe("1");
    expect(response.headers.get("x-ratelimit-remaining-requests")).toBe("0");
  });
});

describe("IP allowlist", () => {
  it("refuses a client outside the ranges with 403 ip_not_allowed, serves one inside", async () => {
    const outside = await newKey({ ipAllowlist: ["10.0.0.0/8", "2001:db8::/32"] });
    await expect(chat(outside.rawKey)).rejects.toMatchObject({
      status: 403,
      code: "ip_not_allowed",
      type: "permission_error",
    });
    const inside = await newKey({ ipAllowlist: ["127.0.0.0/8"] });
    await expect(chat(inside.rawKey)).resolves.toMatchObject({ object: "chat.completion" });
  });

  it("behind TRUST_PROXY, judges the forwarded client address, IPv4 and IPv6", async () => {
    process.env.TRUST_PROXY = "1";
    resetEnvCache();
    const { rawKey } = await newKey({ ipAllowlist: ["203.0.113.0/24", "2001:db8::/32"] });
    await expect(
      chat(rawKey, "fake/json", { "x-forwarded-for": "203.0.113.9" }),
    ).resolves.toMatchObject({ object: "chat.completion" });
    await expect(
      chat(rawKey, "fake/json", { "x-forwarded-for": "2001:db8::42" }),
    ).resolves.toMatchObject({ object: "chat.completion" });
    await expect(
      chat(rawKey, "fake/json", { "x-forwarded-for": "198.51.100.1" }),
    ).rejects.toMatchObject({ status: 403, code: "ip_not_allowed" });
    // The leftmost entry is the client's to choose: only the one the proxy appended counts.
    await expect(
      chat(rawKey, "fake/json", { "x-forwarded-for": "203.0.113.9, 198.51.100.1" }),
    ).rejects.toMatchObject({ status: 403, code: "ip_not_allowed" });
  });
});
