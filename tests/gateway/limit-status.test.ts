import { describe, expect, it, vi } from "vitest";
import OpenAI from "openai";
import { eq } from "drizzle-orm";
import { setProcessDatabase } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { notifyKeyChanged } from "@/lib/keys/key-notify";
import { callRoute } from "../helpers/call-route";
import { createKey, createUser, harnessForFile } from "../helpers/harness";

/**
 * A key's status tells the truth: one whose remaining budget cannot pay for the cheapest
 * request reads limit_reached everywhere, and a 429 limit_reached tells clients not to retry.
 * Prices here: 1 and 2 micro-units per prompt and output token, so the cheapest request
 * (the smallest prompt a reservation counts, 9 tokens, and one output token) costs 11.
 */
vi.mock("@/lib/auth", () => ({ auth: async () => null }));

const t = harnessForFile(async (h) => {
  setProcessDatabase(h.database);
  const userId = (await createUser(h.database)).id;
  const managementKey = (await createKey(h.database, { userId, type: "management" })).key;
  return { userId, managementKey };
});

async function api(path: string) {
  const route =
    path.includes("?") || path === "/api/v1/keys"
      ? await import("@/app/api/v1/keys/route")
      : await import("@/app/api/v1/keys/[id]/route");
  const id = path.split("?")[0].split("/")[4];
  const params: Record<string, string> = id ? { id } : {};
  const answer = await callRoute({ handler: route.GET, path, params, key: t.value.managementKey });
  return answer.body as { status?: string; data?: { id: string; status: string }[] };
}

async function keyWithRemaining(remaining: bigint) {
  const limit = 50n;
  const created = await createKey(t.h.database, { userId: t.value.userId, spendingLimit: limit });
  await t.h.database.db
    .update(apiKeys)
    .set({ spend: limit - remaining })
    .where(eq(apiKeys.id, created.row.id));
  await notifyKeyChanged(created.row.id, t.h.database);
  return created;
}

describe("limit_reached tells the truth", () => {
  it("a key with 10 left of its limit (less than the cheapest request) reads limit_reached in the API and its filter, and /v1 refuses it", async () => {
    const { key, row } = await keyWithRemaining(10n);
    expect((await api(`/api/v1/keys/${row.id}`)).status).toBe("limit_reached");
    const listed = await api(`/api/v1/keys?owner=personal&status=limit_reached`);
    expect(listed.data?.map((k) => k.id)).toContain(row.id);
    const active = await api(`/api/v1/keys?owner=personal&status=active`);
    expect(active.data?.map((k) => k.id)).not.toContain(row.id);

    const error = await new OpenAI({
      baseURL: t.h.baseURL,
      apiKey: key,
      maxRetries: 0,
    }).chat.completions
      .create({ model: "modelbridge/echo", messages: [{ role: "user", content: "hi" }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.code).toBe("limit_reached");
  });

  it("a key with exactly the cheapest request left reads active, and is served", async () => {
    const { key, row } = await keyWithRemaining(11n);
    expect((await api(`/api/v1/keys/${row.id}`)).status).toBe("active");
    const answer = await new OpenAI({
      baseURL: t.h.baseURL,
      apiKey: key,
      maxRetries: 0,
    }).chat.completions.create({
      model: "modelbridge/echo",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(answer.choices[0].finish_reason).toBeDefined();
  });

  it("a 429 limit_reached says x-should-retry: false, and the OpenAI SDK with its default retries raises it once", async () => {
    const { key, row } = await keyWithRemaining(0n);
    const response = await fetch(`${t.h.baseURL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({
        model: "modelbridge/echo",
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get("x-should-retry")).toBe("false");

    const before = t.h.logs.length;
    // The SDK's defaults: 2 retries of a 429 unless the server says not to.
    const error = await new OpenAI({ baseURL: t.h.baseURL, apiKey: key }).chat.completions
      .create({ model: "modelbridge/echo", messages: [{ role: "user", content: "hi" }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const refused = t.h.logs
      .slice(before)
      .filter((line) => line.msg === "v1 request" && line.error_code === "limit_reached");
    expect(refused).toHaveLength(1);
    // The refused key is named in its log line, though it was not let in.
    expect(refused[0].key_id).toBe(row.id);
  });

  it("an unknown /v1 path is named in its log line", async () => {
    const before = t.h.logs.length;
    const response = await fetch(`${t.h.baseURL}/no/such/thing?secret=1`, { method: "POST" });
    expect(response.status).toBe(404);
    const line = t.h.logs.slice(before).find((l) => l.msg === "v1 request");
    expect(line?.path).toBe("/v1/no/such/thing");
    expect(JSON.stringify(line)).not.toContain("secret");
  });
});
