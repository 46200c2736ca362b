import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { eq } from "drizzle-orm";
import { ledgerEntries, usageRecords } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { ensureBillingAccount, type Owner } from "@/lib/billing/balance";
import { balanceBreakdown } from "@/lib/billing/balance-breakdown";
import {
  addPrepaidCredit,
  setIncludedMonthly,
  setOverageEnabled,
} from "@/lib/billing/balance-settings";
import { createGatewayRuntime, type GatewayRuntime } from "@/lib/gateway/entry/runtime";
import { client, createKey, createUser, harnessForFile } from "../helpers/harness";

/**
 * Balances through the real gateway and the official SDK: overage off answers 402 once
 * included usage and prepaid credit are spent, an admin's change applies to the very next
 * request, and a month boundary resets included usage while prepaid credit carries over.
 */
const t = harnessForFile(async (h) => {
  const row = await createUser(h.database, "admin");
  const admin: Actor = {
    user: { id: row.id, email: row.email, name: row.name, role: "admin" },
    keyId: null,
  };
  return { admin };
});

const ask = (sdk: OpenAI) =>
  sdk.chat.completions.create({
    model: "modelbridge/echo",
    messages: [{ role: "user", content: "hello there" }],
    max_tokens: 8,
  });

async function ledgerRows(owner: Owner) {
  const account = await ensureBillingAccount(t.h.database.db, owner);
  return t.h.database.db
    .select()
    .from(ledgerEntries)
    .where(eq(ledgerEntries.accountId, account.id));
}

describe("overage off", () => {
  it("402 insufficient_balance once credit is spent; added credit or overage on applies to the next request", async () => {
    const user = await createUser(t.h.database);
    const owner: Owner = { kind: "user", userId: user.id };
    await setOverageEnabled(t.h.database.db, t.value.admin, owner, false);
    await addPrepaidCredit(t.h.database.db, t.value.admin, owner, 20n, "enough for one request");
    const { key, row } = await createKey(t.h.database, { userId: user.id });
    const sdk = client(t.h.baseURL, key);

    // Enough is left for this request (reserved like a key's budget, issue 26), so it is served.
    const served = await ask(sdk);
    expect(served.choices[0].message.content).toContain("Echo:");
    await t.h.runtime.flush();

    const refused = await ask(sdk).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    expect(refused).toMatchObject({ status: 402, code: "insufficient_balance" });
    // What is left cannot pay even this small request (issue 26: reserved, not overdrawn).
    const left = await balanceBreakdown(t.h.database.db, owner, new Date());
    expect(left.prepaidLeft).toBeLessThan(12n);
    expect(left.prepaidLeft).toBeGreaterThanOrEqual(0n);

    // No waiting for the gateway's balance cache: the admin's change evicts it.
    await addPrepaidCredit(t.h.database.db, t.value.admin, owner, 1_000_000n, "top-up");
    expect((await ask(sdk)).choices[0].message.content).toContain("Echo:");
    await t.h.runtime.flush();

    // Every charge is a ledger row, and together they are what the requests cost.
    const [records, ledger] = await Promise.all([
      t.h.database.db.select().from(usageRecords).where(eq(usageRecords.keyId, row.id)),
      ledgerRows(owner),
    ]);
    const cost = records.reduce((sum, r) => sum + r.cost, 0n);
    expect(cost).toBeGreaterThan(0n);
    expect(ledger.filter((r) => r.kind === "usage").reduce((sum, r) => sum - r.amount, 0n)).toBe(
      cost,
    );
    const balance = await balanceBreakdown(t.h.database.db, owner, new Date());
    expect(balance.prepaidLeft).toBe(
      ledger.filter((r) => r.bucket === "prepaid").reduce((sum, r) => sum + r.amount, 0n),
    );
  });

  it("overage switched off while nothing is left refuses at once; switched on serves again", async () => {
    const user = await createUser(t.h.database);
    const owner: Owner = { kind: "user", userId: user.id };
    const sdk = client(t.h.baseURL, (await createKey(t.h.database, { userId: user.id })).key);
    expect((await ask(sdk)).choices.length).toBe(1); // caches "can spend" for this owner
    await setOverageEnabled(t.h.database.db, t.value.admin, owner, false);
    await expect(ask(sdk)).rejects.toMatchObject({ status: 402, code: "insufficient_balance" });
    await setOverageEnabled(t.h.database.db, t.value.admin, owner, true);
    expect((await ask(sdk)).choices.length).toBe(1);
  });
});

describe("a month boundary", () => {
  let runtime: GatewayRuntime;
  let server: http.Server;
  let baseURL: string;
  let nowMs = Date.parse("2026-01-31T23:59:58Z");

  beforeAll(async () => {
    runtime = await createGatewayRuntime(t.h.database, {
      log: () => {},
      clock: () => nowMs,
      config: { echoPaceMs: 1, usageFlushMs: 60_000 },
    });
    server = http.createServer((req, res) => runtime.handleNode(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await runtime?.shutdown();
  });

  it("included usage resets on the 1st (UTC) and prepaid credit carries over", async () => {
    const user = await createUser(t.h.database);
    const owner: Owner = { kind: "user", userId: user.id };
    await setIncludedMonthly(t.h.database.db, t.value.admin, owner, 5n);
    await addPrepaidCredit(t.h.database.db, t.value.admin, owner, 1_000n, null);
    const sdk = client(baseURL, (await createKey(t.h.database, { userId: user.id })).key);

    await ask(sdk); // 31 January
    await runtime.flush();
    nowMs = Date.parse("2026-02-01T00:00:02Z");
    await ask(sdk); // 1 February
    await runtime.flush();

    const usage = (await ledgerRows(owner)).filter((r) => r.kind === "usage");
    const jan = usage.filter((r) => r.createdAt < new Date("2026-02-01T00:00:00Z"));
    const feb = usage.filter((r) => r.createdAt >= new Date("2026-02-01T00:00:00Z"));
    // Each month draws its own 5 of included usage first, then prepaid.
    expect(jan.map((r) => [r.bucket, r.period])).toEqual([
      ["included", "2026-01"],
      ["prepaid", null],
    ]);
    expect(feb.map((r) => [r.bucket, r.period])).toEqual([
      ["included", "2026-02"],
      ["prepaid", null],
    ]);
    expect(jan[0].amount).toBe(-5n);
    expect(feb[0].amount).toBe(-5n);
    const prepaidDrawn = -(jan[1].amount + feb[1].amount);
    expect(await balanceBreakdown(t.h.database.db, owner, new Date(nowMs))).toMatchObject({
      period: "2026-02",
      includedUsed: 5n,
      includedLeft: 0n,
      prepaidLeft: 1_000n - prepaidDrawn,
      overageThisMonth: 0n,
    });
  });
});
