import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeys } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { notifyKeyChanged } from "@/lib/keys/key-notify";
import { createKey, type CreateKeyInput } from "@/lib/keys/create-key";
import { makeActor } from "../helpers/actors";
import { registerFakeModels, startHarness, usageFor, type Harness } from "../helpers/harness";

/**
 * The Gemini routes obey every rule the other endpoints do — key status, allowed models,
 * rate limits, spending limits — and refuse in Google's envelope
 * (`{"error":{"code","message","status","details"}}`, the gateway's code in an ErrorInfo);
 * a key sent as `?key=` never reaches a log line.
 */
let h: Harness;
let alice: Actor;

beforeAll(async () => {
  h = await startHarness();
  await registerFakeModels(h.database, h.upstream.url, ["json", "sse"]);
  alice = await makeActor(h.database.db, "Alice");
}, 120_000);

afterAll(async () => {
  await h?.close();
});

const newKey = (extra: Partial<CreateKeyInput> = {}) =>
  createKey(h.database.db, alice, {
    name: "gemini rules",
    type: "model_serving",
    teamId: null,
    spendingLimit: null,
    expiresAt: null,
    ...extra,
  });

const origin = () => h.baseURL.replace(/\/v1$/, "");
const generate = { contents: [{ role: "user", parts: [{ text: "hi" }] }] };

async function gemini(
  path: string,
  options: { key?: string; query?: string; body?: unknown; method?: string } = {},
) {
  const response = await fetch(`${origin()}${path}${options.query ?? ""}`, {
    method: options.method ?? (options.body === undefined ? "GET" : "POST"),
    headers: {
      "content-type": "application/json",
      ...(options.key ? { "x-goog-api-key": options.key } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

const reason = (body: { error: { details?: { reason?: string }[] } }) =>
  body.error.details?.find((detail) => detail.reason)?.reason;

describe("Gemini routes: refusals in Google's envelope", () => {
  it("no key or an unknown key: 401 UNAUTHENTICATED", async () => {
    const missing = await gemini("/v1beta/models/fake/json:generateContent", { body: generate });
    expect(missing.status).toBe(401);
    expect(missing.body.error).toMatchObject({ code: 401, status: "UNAUTHENTICATED" });
    expect(reason(missing.body)).toBe("missing_api_key");
    const unknown = await gemini("/v1beta/models/fake/json:generateContent", {
      body: generate,
      key: "mb_live_not_a_real_key",
    });
    expect(unknown.body.error.status).toBe("UNAUTHENTICATED");
  });

  it("a revoked key: 401 with x-should-retry: false", async () => {
    const { rawKey, key } = await newKey();
    expect(
      (await gemini("/v1beta/models/fake/json:generateContent", { key: rawKey, body: generate }))
        .status,
    ).toBe(200);
    await h.database.db
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(eq(apiKeys.id, key.id));
    await notifyKeyChanged(key.id, h.database);
    const refused = await gemini("/v1beta/models/fake/json:generateContent", {
      key: rawKey,
      body: generate,
    });
    expect(refused.status).toBe(401);
    expect(reason(refused.body)).toBe("key_revoked");
    expect(refused.headers.get("x-should-retry")).toBe("false");
  });

  it("allowed models: 403 PERMISSION_DENIED, and the model list and model show only allowed ones", async () => {
    const { rawKey } = await newKey({ allowedModels: ["fake/json"] });
    const refused = await gemini("/v1beta/models/fake/sse:streamGenerateContent", {
      key: rawKey,
      query: "?alt=sse",
      body: generate,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 403, status: "PERMISSION_DENIED" });
    expect(reason(refused.body)).toBe("model_not_allowed");

    const list = await gemini("/v1beta/models", { key: rawKey });
    expect(list.body.models.map((model: { name: string }) => model.name)).toEqual([
      "models/fake/json",
    ]);
    expect((await gemini("/v1beta/models/fake/json", { key: rawKey })).body.name).toBe(
      "models/fake/json",
    );
    const hidden = await gemini("/v1beta/models/fake/sse", { key: rawKey });
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.status).toBe("NOT_FOUND");
  });

  it("rate limits: 429 RESOURCE_EXHAUSTED with retry-after", async () => {
    const { rawKey } = await newKey({ rateLimits: { requestsPerMinute: 1 } });
    expect(
      (await gemini("/v1/models/fake/json:generateContent", { key: rawKey, body: generate }))
        .status,
    ).toBe(200);
    const limited = await gemini("/v1/models/fake/json:generateContent", {
      key: rawKey,
      body: generate,
    });
    expect(limited.status).toBe(429);
    expect(limited.body.error.status).toBe("RESOURCE_EXHAUSTED");
    expect(reason(limited.body)).toBe("rate_limit_exceeded");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("a spent key: 429 RESOURCE_EXHAUSTED, retry-after until its period resets, a plain message", async () => {
    // A limit smaller than any request costs: the key reads limit_reached at once.
    const { rawKey } = await newKey({ spendingLimit: 1n, budgetPeriod: "daily" });
    const spent = await gemini("/v1beta/models/fake/json:generateContent", {
      key: rawKey,
      body: generate,
    });
    expect(spent.status).toBe(429);
    expect(spent.body.error.status).toBe("RESOURCE_EXHAUSTED");
    expect(reason(spent.body)).toBe("limit_reached");
    expect(spent.body.error.message).toMatch(/spending limit is reached/);
    expect(spent.body.error.message).toMatch(/raise/);
    expect(spent.headers.get("x-should-retry")).toBe("false");
    const now = new Date();
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
    const retryAfter = Number(spent.headers.get("retry-after"));
    expect(Math.abs(retryAfter - (midnight - now.getTime()) / 1000)).toBeLessThan(10);
    expect(spent.body.error.details).toContainEqual({
      "@type": "type.googleapis.com/google.rpc.RetryInfo",
      retryDelay: `${retryAfter}s`,
    });
  });

  it("what cannot be translated: 400 INVALID_ARGUMENT naming the field, nothing charged", async () => {
    const { rawKey, key } = await newKey();
    const refused = await gemini("/v1beta/models/fake/json:generateContent", {
      key: rawKey,
      body: { ...generate, cachedContent: "cachedContents/abc" },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.status).toBe("INVALID_ARGUMENT");
    expect(refused.body.error.message).toContain("cachedContent");
    const dropped = await fetch(`${origin()}/v1beta/models/fake/json:generateContent`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-goog-api-key": rawKey },
      body: JSON.stringify({ ...generate, tools: [{ googleSearch: {} }], safetySettings: [] }),
    });
    expect(dropped.status).toBe(200);
    expect(dropped.headers.get("x-modelbridge-dropped")).toBe("googleSearch");
    await expect.poll(async () => (await usageFor(h.database, key.id)).length).toBe(2);
    const rows = await usageFor(h.database, key.id);
    expect(rows.find((row) => row.status === 400)?.cost).toBe(0n);
  });
});

describe("a key sent as ?key=", () => {
  it("authenticates, and appears in no log line (success or failure)", async () => {
    const { rawKey } = await newKey();
    h.logs.length = 0;
    const ok = await gemini("/v1beta/models/fake/json:generateContent", {
      query: `?key=${rawKey}`,
      body: generate,
    });
    expect(ok.status).toBe(200);
    const wrong = await gemini("/v1beta/models/fake/nope:generateContent", {
      query: `?key=${rawKey}&alt=json`,
      body: generate,
    });
    expect(wrong.status).toBe(404);
    const unknownPath = await gemini("/v1beta/tunedModels/x", { query: `?key=${rawKey}` });
    expect(unknownPath.status).toBe(404);
    await expect.poll(() => h.logs.length).toBeGreaterThanOrEqual(3);
    const logged = JSON.stringify(h.logs);
    expect(logged).not.toContain(rawKey);
    expect(logged).not.toContain(rawKey.slice(-12));
  });
});
