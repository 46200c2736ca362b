import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "@/db/client";
import { usageRecords } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { addPrepaidCredit } from "@/lib/billing/balance-settings";
import { NotFoundError } from "@/lib/errors/domain-errors";
import { createKey } from "@/lib/keys/create-key";
import { addMember } from "@/lib/teams/members";
import { createTeam } from "@/lib/teams/teams";
import { streamUsageCsv } from "@/lib/usage/csv-export";
import { presetRange, resolveRange } from "@/lib/usage/range";
import { allRequests } from "@/lib/usage/requests";
import { resolveUsageScope } from "@/lib/usage/scope";
import { usageReport } from "@/lib/usage/usage-report";
import { toUsageObject } from "@/lib/usage/usage-view";
import { makeActor, letEveryoneMakeTeams } from "@/tests/helpers/actors";
import { openTestDatabase } from "@/tests/helpers/database";

/**
 * Usage is read per owner: personal, a team as its admin (all keys) or as a member (own keys),
 * or one visible key. Rows are inserted as the gateway's usage sink writes them.
 */
let database: Database;
let db: Db;
let ann: Actor; // team admin
let ben: Actor; // team member
let cat: Actor; // outsider
let teamId: string;
const keys: Record<string, string> = {};
const now = new Date("2026-05-20T12:00:00Z");
const day = (d: string, hour = 10) =>
  new Date(`2026-05-${d}T${String(hour).padStart(2, "0")}:00:00Z`);

async function record(
  keyName: string,
  at: Date,
  values: {
    model?: string;
    prompt?: number;
    completion?: number;
    cost?: bigint;
    status?: number;
  } = {},
) {
  const [owner, team] = keyName.startsWith("team")
    ? [keyName.includes("ben") ? ben : ann, teamId]
    : [keyName.includes("ben") ? ben : ann, null];
  await db.insert(usageRecords).values({
    requestId: `req_${Math.random().toString(36).slice(2)}`,
    keyId: keys[keyName],
    userId: owner.user.id,
    teamId: team,
    model: values.model ?? "modelbridge/echo",
    status: values.status ?? 200,
    promptTokens: values.prompt ?? 10,
    completionTokens: values.completion ?? 5,
    cost: values.cost ?? 100n,
    costSource: "upstream",
    latencyMs: 30,
    createdAt: at,
  });
}

beforeAll(async () => {
  database = await openTestDatabase();
  await letEveryoneMakeTeams(database.db);
  db = database.db;
  ann = await makeActor(db, "Ann");
  ben = await makeActor(db, "Ben");
  cat = await makeActor(db, "Cat");
  teamId = (await createTeam(db, ann, "Research")).id;
  await addMember(db, ann, teamId, { email: ben.user.email, role: "member" });
  const make = async (actor: Actor, name: string, team: string | null) => {
    keys[name] = (
      await createKey(db, actor, {
        name,
        type: "model_serving",
        teamId: team,
        spendingLimit: null,
        expiresAt: null,
      })
    ).key.id;
  };
  await make(ann, "ann-personal", null);
  await make(ben, "ben-personal", null);
  await make(ann, "team-ann", teamId);
  await make(ben, "team-ben", teamId);

  await record("ann-personal", day("18"), { cost: 1_000n, prompt: 100, completion: 50 });
  await record("ann-personal", day("20"), { cost: 2_000n, model: "fake/json" });
  await record("ann-personal", day("20", 11), { cost: 0n, status: 429, prompt: 0, completion: 0 });
  await record("ann-personal", new Date("2026-04-01T00:00:00Z"), { cost: 9_999n }); // outside 7 and 30 days
  await record("ben-personal", day("19"), { cost: 500n });
  await record("team-ann", day("19"), { cost: 300n });
  await record("team-ben", day("19"), { cost: 700n, model: "fake/json" });
  await record("team-ben", day("20"), { cost: 700n, model: "fake/json" });
});
afterAll(async () => {
  await database?.close();
});

const last7 = presetRange("7", now);

describe("usage per owner", () => {
  it("personal: the caller's personal keys only, by day (zeros included), by key and by model", async () => {
    const report = await usageReport(db, ann, { owner: "personal", range: last7 }, { now });
    expect(report.totals).toEqual({
      requests: 3,
      errors: 1,
      promptTokens: 110,
      completionTokens: 55,
      spend: 3_000n,
    });
    expect(report.days).toHaveLength(7);
    expect(
      report.days.filter((d) => d.requests > 0).map((d) => [d.date, d.requests, d.spend]),
    ).toEqual([
      ["2026-05-18", 1, 1_000n],
      ["2026-05-20", 2, 2_000n],
    ]);
    expect(report.byKey.map((k) => [k.name, k.requests, k.spend])).toEqual([
      ["ann-personal", 3, 3_000n],
    ]);
    expect(report.byKey[0].display).toMatch(/^mb_live_…\w{4}$/);
    expect(report.byModel.map((m) => [m.model, m.spend])).toEqual([
      ["fake/json", 2_000n],
      ["modelbridge/echo", 1_000n],
    ]);
    expect(report.recent.map((r) => r.status)).toEqual([429, 200, 200]);
    expect(report.recent[0].keyName).toBe("ann-personal");
    expect(report.balance).toMatchObject({
      includedLeft: 0n,
      prepaidLeft: 0n,
      overageEnabled: true,
    });
  });

  it("the range decides: 90 days include April, 7 do not", async () => {
    const report = await usageReport(
      db,
      ann,
      { owner: "personal", range: presetRange("90", now) },
      { now },
    );
    expect(report.totals.spend).toBe(12_999n);
  });

  it("team admin: every team key, and the team's balance", async () => {
    const admin = await makeActor(db, "Platform");
    await addPrepaidCredit(
      db,
      { ...admin, user: { ...admin.user, role: "admin" } },
      { kind: "team", teamId },
      5_000_000n,
      null,
    );
    const report = await usageReport(db, ann, { owner: teamId, range: last7 }, { now });
    expect(report.scope.ownerName).toBe("Research");
    expect(report.totals.spend).toBe(1_700n);
    expect(report.byKey.map((k) => [k.name, k.spend])).toEqual([
      ["team-ben", 1_400n],
      ["team-ann", 300n],
    ]);
    expect(report.balance?.prepaidLeft).toBe(5_000_000n);
  });

  it("team member: only the team keys they created, and no team balance", async () => {
    const report = await usageReport(db, ben, { owner: teamId, range: last7 }, { now });
    expect(report.totals.spend).toBe(1_400n);
    expect(report.byKey.map((k) => k.name)).toEqual(["team-ben"]);
    expect(report.balance).toBeNull();
    expect(toUsageObject(report).balance).toBeNull();
  });

  it("one key: its own usage, for whoever may see the key", async () => {
    const byAdmin = await usageReport(db, ann, { keyId: keys["team-ben"], range: last7 }, { now });
    expect(byAdmin.scope).toMatchObject({ owner: teamId, key: { name: "team-ben" } });
    expect(byAdmin.totals.requests).toBe(2);
    const byCreator = await usageReport(
      db,
      ben,
      { keyId: keys["team-ben"], range: last7 },
      { now },
    );
    expect(byCreator.totals.spend).toBe(1_400n);
  });

  it("what the caller may not see is not found", async () => {
    await expect(resolveUsageScope(db, cat, { owner: teamId })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      resolveUsageScope(db, cat, { keyId: keys["ann-personal"] }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(resolveUsageScope(db, ben, { keyId: keys["team-ann"] })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      resolveUsageScope(db, ben, { keyId: keys["ann-personal"] }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const empty = await usageReport(db, cat, { owner: "personal", range: last7 }, { now });
    expect(empty.totals).toEqual({
      requests: 0,
      errors: 0,
      promptTokens: 0,
      completionTokens: 0,
      spend: 0n,
    });
    expect(empty.byKey).toEqual([]);
    expect(empty.days.every((d) => d.requests === 0)).toBe(true);
  });

  it("the API shape: money as decimal strings, totals per day", async () => {
    const object = toUsageObject(
      await usageReport(db, ann, { owner: "personal", range: last7 }, { now }),
    );
    expect(object.totals).toEqual({
      requests: 3,
      errors: 1,
      prompt_tokens: 110,
      completion_tokens: 55,
      total_tokens: 165,
      spend: "0.003",
    });
    expect(object.by_model[0]).toMatchObject({ model: "fake/json", spend: "0.002" });
    expect(object.balance).toMatchObject({
      prepaid_left: "0.00",
      overage_enabled: true,
      blocked: false,
    });
  });
});

describe("CSV export", () => {
  it("streams every request of the scope, oldest first, across pages", async () => {
    const range = resolveRange({ from: "2026-03-01", to: "2026-05-20" }, now);
    if (!range.ok) throw new Error("range");
    const scope = await resolveUsageScope(db, ann, { owner: "personal" });
    const pages = [];
    for await (const page of allRequests(db, scope, range.range, 2))
      pages.push(page.map((r) => r.cost));
    expect(pages).toEqual([
      [9_999n, 1_000n],
      [2_000n, 0n],
    ]);

    const { body, filename } = await streamUsageCsv(db, ann, {
      owner: "personal",
      range: range.range,
    });
    expect(filename).toBe("usage-personal-2026-03-01-to-2026-05-20.csv");
    const text = await new Response(body).text();
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "time,request_id,key_id,key_name,key,model,endpoint,streamed,status,error_code,prompt_tokens,completion_tokens,total_tokens,cached_input_tokens,cost,cost_source,latency_ms",
    );
    expect(lines).toHaveLength(5);
    expect(lines[1]).toContain("2026-04-01T00:00:00.000Z");
    expect(lines[1]).toContain(",0.009999,");
    expect(lines.slice(1).every((l) => l.includes(`,${keys["ann-personal"]},ann-personal,`))).toBe(
      true,
    );
  });

  it("a member's team export has only their own keys' rows; an outsider is refused before any byte", async () => {
    const { body } = await streamUsageCsv(db, ben, { owner: teamId, range: last7 });
    const lines = (await new Response(body).text()).trimEnd().split("\r\n");
    expect(lines).toHaveLength(3);
    expect(lines.slice(1).every((l) => l.includes("team-ben"))).toBe(true);
    await expect(streamUsageCsv(db, cat, { owner: teamId, range: last7 })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});
