import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { letEveryoneMakeTeams } from "../../tests/helpers/actors";
import { and, eq } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { auditLog, ledgerEntries } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { createTeam } from "@/lib/teams/teams";
import { makeActor, makeAdmin } from "@/tests/helpers/actors";
import { openTestDatabase } from "@/tests/helpers/database";
import { ensureBillingAccount, type Owner } from "./balance";
import { balanceBreakdown } from "./balance-breakdown";
import { onLocalBalanceChange } from "./balance-notify";
import { addPrepaidCredit, setIncludedMonthly, setOverageEnabled } from "./balance-settings";
import { chargeOwner } from "./charge";

let database: Database;
let db: Db;
let admin: Actor;

beforeAll(async () => {
  database = await openTestDatabase();
  await letEveryoneMakeTeams(database.db);
  db = database.db;
  admin = await makeAdmin(db, "Admin");
});
afterAll(async () => {
  await database?.close();
});

const $ = (units: number) => BigInt(Math.round(units * 1_000_000));
const at = (iso: string) => new Date(iso);

async function ledgerOf(owner: Owner) {
  const account = await ensureBillingAccount(db, owner);
  return db.select().from(ledgerEntries).where(eq(ledgerEntries.accountId, account.id));
}

describe("charging order: included this month → prepaid → overage", () => {
  it("draws in order within a month, resets included at the month boundary, carries prepaid over", async () => {
    const user = await makeActor(db, "Payer");
    const owner: Owner = { kind: "user", userId: user.user.id };
    await setIncludedMonthly(db, admin, owner, $(10));
    await addPrepaidCredit(db, admin, owner, $(5), "starter credit");

    // January: 8 from included, then 4 = 2 included + 2 prepaid, then 6 = 3 prepaid + 3 overage.
    await chargeOwner(db, owner, $(8), null, at("2026-01-15T10:00:00Z"));
    let jan = await balanceBreakdown(db, owner, at("2026-01-20T00:00:00Z"));
    expect(jan).toMatchObject({
      period: "2026-01",
      includedUsed: $(8),
      includedLeft: $(2),
      prepaidLeft: $(5),
      overageThisMonth: 0n,
    });
    await chargeOwner(db, owner, $(4), null, at("2026-01-31T23:59:59Z"));
    jan = await balanceBreakdown(db, owner, at("2026-01-31T23:59:59Z"));
    expect(jan).toMatchObject({
      includedUsed: $(10),
      includedLeft: 0n,
      prepaidLeft: $(3),
      overageThisMonth: 0n,
    });
    await chargeOwner(db, owner, $(6), null, at("2026-01-31T23:59:59.900Z"));
    jan = await balanceBreakdown(db, owner, at("2026-01-31T23:59:59.999Z"));
    expect(jan).toMatchObject({ includedLeft: 0n, prepaidLeft: 0n, overageThisMonth: $(3) });

    // One second later it is February: the included grant is whole again, prepaid stays spent,
    // January's overage is not February's.
    const feb1 = at("2026-02-01T00:00:00Z");
    expect(await balanceBreakdown(db, owner, feb1)).toMatchObject({
      period: "2026-02",
      includedUsed: 0n,
      includedLeft: $(10),
      prepaidLeft: 0n,
      overageThisMonth: 0n,
    });
    await chargeOwner(db, owner, $(1), null, at("2026-02-01T00:00:01Z"));
    expect(await balanceBreakdown(db, owner, feb1)).toMatchObject({
      includedUsed: $(1),
      includedLeft: $(9),
    });

    // The ledger holds one row per bucket touched per charge, and nothing else.
    const usage = (await ledgerOf(owner)).filter((row) => row.kind === "usage");
    const drawn = usage.map((row) => [row.bucket, row.amount, row.period]);
    expect(drawn).toEqual(
      expect.arrayContaining([
        ["included", -$(8), "2026-01"],
        ["included", -$(2), "2026-01"],
        ["prepaid", -$(2), null],
        ["prepaid", -$(3), null],
        ["overage", -$(3), null],
        ["included", -$(1), "2026-02"],
      ]),
    );
    expect(usage).toHaveLength(6);
    expect(usage.reduce((sum, row) => sum - row.amount, 0n)).toBe($(8 + 4 + 6 + 1));
  });

  it("prepaid credit added in one month is still there in the next, and is drawn after included", async () => {
    const team = await createTeam(db, await makeActor(db, "Lead"), "Carry-over");
    const owner: Owner = { kind: "team", teamId: team.id };
    await addPrepaidCredit(db, admin, owner, $(20), null);
    await chargeOwner(db, owner, $(5), null, at("2026-03-10T00:00:00Z"));
    await setIncludedMonthly(db, admin, owner, $(2));
    await chargeOwner(db, owner, $(3), null, at("2026-04-02T00:00:00Z"));
    expect(await balanceBreakdown(db, owner, at("2026-04-30T00:00:00Z"))).toMatchObject({
      includedLeft: 0n,
      includedUsed: $(2),
      prepaidLeft: $(14),
    });
  });
});

describe("the balance is the sum of its ledger", () => {
  it("after credits and many charges every bucket equals the sum of its ledger rows", async () => {
    const user = await makeActor(db, "Busy");
    const owner: Owner = { kind: "user", userId: user.user.id };
    await setIncludedMonthly(db, admin, owner, 1_000n);
    await addPrepaidCredit(db, admin, owner, 700n, "a");
    const now = at("2026-05-20T12:00:00Z");
    // Concurrent charges: the row lock must keep each micro-unit drawn exactly once.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => chargeOwner(db, owner, BigInt(50 + i), null, now)),
    );
    await addPrepaidCredit(db, admin, owner, 300n, "b");
    await Promise.all(Array.from({ length: 10 }, () => chargeOwner(db, owner, 137n, null, now)));

    const rows = await ledgerOf(owner);
    const sum = (bucket: string, filter: (r: (typeof rows)[number]) => boolean = () => true) =>
      rows.filter((r) => r.bucket === bucket && filter(r)).reduce((s, r) => s + r.amount, 0n);
    const balance = await balanceBreakdown(db, owner, now);
    const charged = BigInt(
      Array.from({ length: 20 }, (_, i) => 50 + i).reduce((a, b) => a + b, 0) + 1370,
    );

    expect(balance.includedUsed).toBe(-sum("included", (r) => r.period === "2026-05"));
    expect(balance.includedLeft).toBe(1_000n + sum("included", (r) => r.period === "2026-05"));
    expect(balance.prepaidLeft).toBe(sum("prepaid"));
    expect(balance.overageThisMonth).toBe(-sum("overage"));
    // Everything charged is somewhere in the ledger, exactly once.
    expect(rows.filter((r) => r.kind === "usage").reduce((s, r) => s - r.amount, 0n)).toBe(charged);
    expect(balance.includedLeft).toBe(0n);
    expect(balance.prepaidLeft).toBe(0n);
    expect(balance.overageThisMonth).toBe(charged - 2_000n);
  });
});

describe("admin balance settings", () => {
  it("set included, add credit with a note, toggle overage: ledger row, audit rows, gateway cache evicted", async () => {
    const user = await makeActor(db, "Managed");
    const owner: Owner = { kind: "user", userId: user.user.id };
    const evicted: Owner[] = [];
    const off = onLocalBalanceChange((o) => evicted.push(o));
    try {
      await setIncludedMonthly(db, admin, owner, $(12.5));
      await addPrepaidCredit(db, admin, owner, $(40), "  invoice 1042  ");
      await setOverageEnabled(db, admin, owner, false);
    } finally {
      off();
    }
    expect(evicted).toEqual([owner, owner, owner]);

    const now = new Date();
    expect(await balanceBreakdown(db, owner, now)).toMatchObject({
      includedMonthly: $(12.5),
      includedLeft: $(12.5),
      prepaidLeft: $(40),
      overageEnabled: false,
      blocked: false,
    });
    const [credit] = (await ledgerOf(owner)).filter((r) => r.kind === "credit");
    expect(credit).toMatchObject({
      bucket: "prepaid",
      amount: $(40),
      note: "invoice 1042",
      createdBy: admin.user.id,
    });

    const audit = await db
      .select({ action: auditLog.action, details: auditLog.details, actor: auditLog.actorUserId })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.targetType, "billing_account"),
          eq(auditLog.targetId, `user:${user.user.id}`),
        ),
      );
    expect(audit).toEqual(
      expect.arrayContaining([
        {
          action: "balance.included",
          details: { from: "0.00", to: "12.50" },
          actor: admin.user.id,
        },
        {
          action: "balance.credit",
          details: { amount: "40.00", note: "invoice 1042" },
          actor: admin.user.id,
        },
        { action: "balance.overage", details: { enabled: false }, actor: admin.user.id },
      ]),
    );
    expect(audit).toHaveLength(3);
  });

  it("an owner with overage off and nothing left is blocked; credit unblocks it", async () => {
    const user = await makeActor(db, "Blocked");
    const owner: Owner = { kind: "user", userId: user.user.id };
    await setOverageEnabled(db, admin, owner, false);
    expect((await balanceBreakdown(db, owner, new Date())).blocked).toBe(true);
    await addPrepaidCredit(db, admin, owner, 1n, null);
    expect((await balanceBreakdown(db, owner, new Date())).blocked).toBe(false);
  });

  it("only platform admins may change balances; unknown owners and bad amounts are refused", async () => {
    const user = await makeActor(db, "Curious");
    const owner: Owner = { kind: "user", userId: user.user.id };
    await expect(setIncludedMonthly(db, user, owner, $(1000))).rejects.toMatchObject({
      status: 403,
      code: "forbidden",
    });
    await expect(addPrepaidCredit(db, user, owner, $(1000), null)).rejects.toMatchObject({
      status: 403,
    });
    await expect(setOverageEnabled(db, user, owner, true)).rejects.toMatchObject({ status: 403 });
    await expect(addPrepaidCredit(db, admin, owner, 0n, null)).rejects.toMatchObject({
      status: 422,
      field: "amount",
    });
    await expect(setIncludedMonthly(db, admin, owner, -1n)).rejects.toMatchObject({ status: 422 });
    await expect(
      addPrepaidCredit(
        db,
        admin,
        { kind: "team", teamId: "00000000-0000-4000-8000-000000000000" },
        1n,
        null,
      ),
    ).rejects.toThrow(/No such team/);
    expect((await ledgerOf(owner)).length).toBe(0);
  });
});
