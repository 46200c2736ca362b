import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { setProcessDatabase } from "@/db/client";
import { apiKeys, keyRefusals } from "@/db/schema";
import { notifyKeyChanged } from "@/lib/keys/key-notify";
import {
  client,
  createKey,
  createUser,
  harnessForFile,
  registerFakeModels,
  usageFor,
} from "../helpers/harness";
import { callRoute } from "../helpers/call-route";

/**
 * Issue 26, item 5 (PRODUCT.md, "Every request is recorded"): refusals of a known key —
 * rate limited, paused, revoked — are counted per key and minute, in batches (no write
 * per refused request), and shown beside its requests in `GET /api/v1/keys/{id}/usage`.
 */
vi.mock("@/lib/auth", () => ({ auth: async () => null }));

const t = harnessForFile(async (h) => {
  setProcessDatabase(h.database);
  await registerFakeModels(h.database, h.upstream.url, ["json"]);
  const userId = (await createUser(h.database)).id;
  const managementKey = (await createKey(h.database, { userId, type: "management" })).key;
  return { userId, managementKey };
});

async function keyUsage(id: string) {
  const route = await import("@/app/api/v1/keys/[id]/usage/route");
  const answer = await callRoute({
    handler: route.GET,
    path: `/api/v1/keys/${id}/usage`,
    params: { id },
    key: t.value.managementKey,
  });
  expect(answer.status).toBe(200);
  return answer.body as {
    refused: number;
    refused_by_code: Record<string, number>;
    data: { requests: number; refused: number }[];
  };
}

const ask = (key: string) =>
  client(t.h.baseURL, key)
    .chat.completions.create({ model: "fake/json", messages: [{ role: "user", content: "hi" }] })
    .then(
      () => 200,
      (error: { status?: number }) => error.status,
    );

describe("refusals of a known key are counted and shown (issue 26, item 5)", () => {
  it("1 answer, 2 × 429, 2 × 403 paused and 3 × 401 revoked: the key's usage shows 1 request and 7 refusals by code", async () => {
    const { key, row } = await createKey(t.h.database, { userId: t.value.userId });
    await t.h.database.db
      .update(apiKeys)
      .set({ requestsPerMinute: 1 })
      .where(eq(apiKeys.id, row.id));
    await notifyKeyChanged(row.id, t.h.database);
    expect(await ask(key)).toBe(200);
    expect(await ask(key)).toBe(429);
    expect(await ask(key)).toBe(429);

    await t.h.database.db
      .update(apiKeys)
      .set({ pausedAt: new Date() })
      .where(eq(apiKeys.id, row.id));
    await notifyKeyChanged(row.id, t.h.database);
    expect(await ask(key)).toBe(403);
    expect(await ask(key)).toBe(403);

    await t.h.database.db
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(eq(apiKeys.id, row.id));
    await notifyKeyChanged(row.id, t.h.database);
    for (let i = 0; i < 3; i++) expect(await ask(key)).toBe(401);

    await t.h.runtime.flush();
    const usage = await keyUsage(row.id);
    expect(usage.refused).toBe(7);
    expect(usage.refused_by_code).toEqual({
      rate_limit_exceeded: 2,
      key_paused: 2,
      key_revoked: 3,
    });
    expect(usage.data.reduce((sum, day) => sum + day.refused, 0)).toBe(7);
    // Paused and revoked keys are refused before they authenticate: no request rows for them.
    const rows = await usageFor(t.h.database, row.id);
    expect(rows.filter((r) => r.status === 200)).toHaveLength(1);
    expect(rows.filter((r) => r.status === 401 || r.status === 403)).toHaveLength(0);
  });

  it("a flood of 200 refusals is one row per code and minute, written in batches", async () => {
    const { key, row } = await createKey(t.h.database, { userId: t.value.userId });
    await t.h.database.db
      .update(apiKeys)
      .set({ pausedAt: new Date() })
      .where(eq(apiKeys.id, row.id));
    await notifyKeyChanged(row.id, t.h.database);
    const statuses = await Promise.all(Array.from({ length: 200 }, () => ask(key)));
    // On a loaded machine a few may time out on the client's side; every answer is a 403.
    const refused = statuses.filter((s) => s === 403).length;
    expect(statuses.filter((s) => s !== 403 && s !== undefined)).toEqual([]);
    expect(refused).toBeGreaterThanOrEqual(150);
    await t.h.runtime.flush();
    const rows = await t.h.database.db
      .select()
      .from(keyRefusals)
      .where(eq(keyRefusals.keyId, row.id));
    expect(rows.length).toBeLessThanOrEqual(2); // the flood may straddle a minute
    // A request whose client gave up was still refused and counted by the gateway.
    const counted = rows.reduce((sum, r) => sum + r.count, 0);
    expect(counted).toBeGreaterThanOrEqual(refused);
    expect(counted).toBeLessThanOrEqual(200);
    expect(new Set(rows.map((r) => r.code))).toEqual(new Set(["key_paused"]));
  });

  it("an unknown key is not counted for anyone", async () => {
    const before = await t.h.database.db.select().from(keyRefusals);
    const status = await ask("sk-live-notakey0000000000000000000000000000");
    expect(status).toBe(401);
    await t.h.runtime.flush();
    expect(await t.h.database.db.select().from(keyRefusals)).toHaveLength(before.length);
  });
});
