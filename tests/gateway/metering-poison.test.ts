import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { usageRecords } from "@/db/schema";
import { gatewayMetrics } from "@/lib/metrics/gateway-metrics";
import type { KeyRecord } from "@/lib/gateway/types";
import { keylessUsageEvent } from "../helpers/usage-event";
import { client, createKey, harnessWithUser, keyRow, usageFor } from "../helpers/harness";

/**
 * Nothing one request sends can stop metering for everyone: what cannot be stored is
 * refused at the door, and a record the database still refuses is set aside on its own
 * while the rest of its batch is stored.
 */
const t = harnessWithUser();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function rawChat(apiKey: string, body: string) {
  const response = await fetch(`${t.h.baseURL}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
    body,
  });
  return {
    status: response.status,
    json: (await response.json()) as { error?: { code: string; param: string | null } },
  };
}

async function setAsideCount(): Promise<number> {
  const text = await gatewayMetrics().registry.metrics();
  const line = text
    .split("\n")
    .find((l) => l.startsWith("modelbridge_usage_records_set_aside_total"));
  return line ? Number(line.split(" ")[1]) : NaN;
}

describe("metering no request can stop", () => {
  it("a NUL byte in model is a 400 naming 'model', and the next request's spend still reaches its key and the records", async () => {
    const poisoner = await createKey(t.h.database, { userId: t.value.userId });
    const poison = await rawChat(
      poisoner.key,
      JSON.stringify({ model: "nul\u0000model", messages: [{ role: "user", content: "hi" }] }),
    );
    expect(poison.status).toBe(400);
    expect(poison.json.error).toMatchObject({ code: "invalid_request", param: "model" });

    // Someone else's request, on a key without a limit: its spend is written by the usage flush.
    const victim = await createKey(t.h.database, { userId: t.value.userId });
    const answer = await client(t.h.baseURL, victim.key).chat.completions.create({
      model: "modelbridge/echo",
      messages: [{ role: "user", content: "hello" }],
    });
    expect(answer.choices[0].message.content).toBe("Echo: hello");
    // Within a few flush intervals (100 ms here), without an explicit flush.
    let row = await keyRow(t.h.database, victim.row.id);
    for (let i = 0; i < 40 && row.spend === 0n; i++) {
      await sleep(50);
      row = await keyRow(t.h.database, victim.row.id);
    }
    expect(row.spend).toBeGreaterThan(0n);
    expect(row.lastUsedAt).not.toBeNull();
    const records = await usageFor(t.h.database, victim.row.id);
    expect(records.map((r) => r.cost)).toEqual([row.spend]);
  });

  it("a model name that is huge, or holds a lone surrogate, is refused at the door and never stored", async () => {
    const { key, row } = await createKey(t.h.database, { userId: t.value.userId });
    const huge = await rawChat(
      key,
      JSON.stringify({ model: "m".repeat(1_000_000), messages: [{ role: "user", content: "hi" }] }),
    );
    expect(huge.status).toBe(400);
    expect(huge.json.error).toMatchObject({ code: "invalid_request", param: "model" });
    const surrogate = await rawChat(
      key,
      `{"model":"bad\\ud800name","messages":[{"role":"user","content":"hi"}]}`,
    );
    expect(surrogate.status).toBe(400);
    expect(surrogate.json.error).toMatchObject({ code: "invalid_request", param: "model" });
    await t.h.runtime.flush();
    const stored = await usageFor(t.h.database, row.id);
    expect(stored.every((r) => r.model.length <= 256)).toBe(true);
  });

  it("a record the database refuses is set aside: the rest of its batch is stored, /metrics counts it, one log line without parameters", async () => {
    const before = await setAsideCount();
    const logsBefore = t.h.logs.length;
    const { row } = await createKey(t.h.database, { userId: t.value.userId });
    const key: KeyRecord = {
      id: row.id,
      type: "model_serving",
      createdBy: t.value.userId,
      teamId: null,
      spendingLimit: null,
      spend: 0n,
      expiresAt: null,
      revokedAt: null,
      ownerDisabled: false,
      pausedAt: null,
      allowedModels: null,
      ipRanges: null,
      rateLimits: null,
      budgetPeriod: "none",
      periodStart: null,
      periodSpend: 0n,
      previousSecretUntil: null,
    };
    const good = (i: number) => ({
      ...keylessUsageEvent(`req_good_${i}_${row.id}`, "poison-test"),
      key,
      cost: 7n,
      costSource: "upstream" as const,
    });
    // Past the door's checks, as a bug elsewhere could let one through.
    const poison = {
      ...keylessUsageEvent(`req_poison_${row.id}`, "poison\u0000-test"),
      key,
      cost: 5n,
      costSource: "upstream" as const,
    };
    for (let i = 0; i < 10; i++)
      void t.h.runtime.deps.usage.record(good(i), { spendSettled: false });
    void t.h.runtime.deps.usage.record(poison, { spendSettled: false });
    for (let i = 10; i < 20; i++)
      void t.h.runtime.deps.usage.record(good(i), { spendSettled: false });
    await t.h.runtime.flush();

    const stored = await t.h.database.db
      .select()
      .from(usageRecords)
      .where(eq(usageRecords.keyId, row.id));
    expect(stored.length).toBe(20);
    expect((await keyRow(t.h.database, row.id)).spend).toBe(20n * 7n);
    expect(t.h.runtime.deps.usage.pending()).toBe(0);
    expect(await setAsideCount()).toBe(before + 1);

    const lines = t.h.logs.slice(logsBefore);
    const setAside = lines.filter((line) => line.msg === "usage record set aside");
    expect(setAside).toHaveLength(1);
    expect(setAside[0]).toMatchObject({ request_id: poison.requestId, key_id: row.id });
    const written = JSON.stringify(lines);
    expect(written).not.toContain("params:");
    expect(written).not.toContain("req_good_");

    // Later flushes do not try it again.
    const logsAfter = t.h.logs.length;
    void t.h.runtime.deps.usage.record(good(99), { spendSettled: false });
    await t.h.runtime.flush();
    expect(
      t.h.logs
        .slice(logsAfter)
        .some((line) => line.msg === "usage record set aside" || line.msg === "usage flush failed"),
    ).toBe(false);
    expect(await setAsideCount()).toBe(before + 1);
  });
});
