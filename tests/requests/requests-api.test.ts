import { describe, expect, it, vi } from "vitest";
import { setProcessDatabase } from "@/db/client";
import { addMember } from "@/lib/teams/members";
import { createTeam } from "@/lib/teams/teams";
import { createModel } from "@/lib/models/service";
import { createModelInput } from "@/lib/models/schemas";
import { letEveryoneMakeTeams } from "@/tests/helpers/actors";
import { callRoute } from "../helpers/call-route";
import { client, createKey, createUser, harnessForFile } from "../helpers/harness";

vi.mock("@/lib/auth", () => ({ auth: async () => null }));

/**
 * GET /api/v1/requests and /requests/{id} over real gateway traffic (the fake upstream, a
 * failover, a stream, a refusal): filters, keyset paging, the detail, and who sees what.
 */
type Summary = {
  id: string;
  request_id: string;
  model: string;
  status: number;
  streamed: boolean;
  key: { id: string } | null;
  attempt_count: number;
};
type Page = { data: Summary[]; next_cursor: string | null; error?: { code: string } };

async function call(path: string, key: string) {
  const match = /^\/requests\/([^/?]+)$/.exec(new URL(path, "http://localhost").pathname);
  const route = match
    ? await import("@/app/api/v1/requests/[id]/route")
    : await import("@/app/api/v1/requests/route");
  const params: Record<string, string> = match ? { id: match[1] } : {};
  return callRoute({ handler: route.GET, path: `/api/v1${path}`, params, key });
}

const list = async (key: string, query = "") =>
  (await call(`/requests${query}`, key)) as {
    status: number;
    body: Page;
  };

const t = harnessForFile(async (h) => {
  setProcessDatabase(h.database);
  const db = h.database.db;
  await letEveryoneMakeTeams(db);
  const admin = await createUser(h.database, "admin");
  for (const [name, upstream, fallbacks] of [
    ["rx-fb", "fault:ok:rx", []],
    ["rx-primary", "fault:503:rx", ["rx-fb"]],
  ] as const)
    await createModel(
      h.database,
      createModelInput.parse({
        name,
        base_url: h.upstream.url,
        upstream_model: upstream,
        input_price_per_million: "1.00",
        output_price_per_million: "2.00",
        fallbacks,
      }),
      admin.id,
    );
  const ada = await createUser(h.database);
  const bo = await createUser(h.database);
  const cy = await createUser(h.database);
  const actor = (u: typeof ada) => ({
    user: { id: u.id, email: u.email, name: u.name, role: u.role },
    keyId: null,
  });
  const team = await createTeam(db, actor(ada), "Research");
  await addMember(db, actor(ada), team.id, { email: cy.email, role: "member" });
  const adaServing = await createKey(h.database, { userId: ada.id });
  const boServing = await createKey(h.database, { userId: bo.id });
  const cyTeamServing = await createKey(h.database, { userId: cy.id, teamId: team.id });
  const mgmt = async (userId: string) =>
    (await createKey(h.database, { userId, type: "management" })).key;

  const ask = (key: string, model: string, stream = false) =>
    client(h.baseURL, key).chat.completions.create({
      model,
      messages: [{ role: "user", content: "hi" }],
      stream,
    } as never);
  // Ada: a failover, a stream, a refusal (a model that does not exist), oldest to newest.
  await ask(adaServing.key, "rx-primary");
  const stream = (await ask(adaServing.key, "rx-fb", true)) as unknown as AsyncIterable<unknown>;
  for await (const _ of stream) void _;
  await ask(adaServing.key, "no-such-model").catch(() => undefined);
  await ask(boServing.key, "rx-fb");
  await ask(cyTeamServing.key, "rx-fb");
  await h.runtime.flush();
  return {
    team,
    adaKeyId: adaServing.row.id,
    boKeyId: boServing.row.id,
    ada: await mgmt(ada.id),
    bo: await mgmt(bo.id),
    cy: await mgmt(cy.id),
    admin: await mgmt(admin.id),
  };
});

describe("GET /api/v1/requests", () => {
  it("lists the caller's own and their teams' requests, newest first, and nobody else's", async () => {
    const v = t.value;
    const ada = await list(v.ada);
    expect(ada.status).toBe(200);
    // Ada: her three, and Cy's team request (she administers the team); never Bo's.
    expect(ada.body.data.map((r) => [r.model, r.status])).toEqual([
      ["rx-fb", 200],
      ["no-such-model", 404],
      ["rx-fb", 200],
      ["rx-fb", 200],
    ]);
    expect(ada.body.data.some((r) => r.key?.id === v.boKeyId)).toBe(false);
    expect(ada.body.data[0].key?.id).not.toBe(v.adaKeyId); // the team key's
    expect(ada.body.data.at(-1)!.attempt_count).toBe(2);

    // Bo sees his one; Cy (a member) only the team key he made.
    expect((await list(v.bo)).body.data.map((r) => r.key?.id)).toEqual([v.boKeyId]);
    expect((await list(v.cy)).body.data).toHaveLength(1);

    // A platform admin sees everything by default; a user may not ask for everything.
    const all = await list(v.admin);
    expect(all.body.data).toHaveLength(5);
    const refused = await list(v.bo, "?scope=all");
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe("forbidden");
  });

  it("filters on the server: status, model, streamed, key, team, request id, time", async () => {
    const v = t.value;
    const ids = async (query: string, key = v.ada) =>
      (await list(key, query)).body.data.map((r) => r.model);
    expect(await ids("?status=error")).toEqual(["no-such-model"]);
    expect(await ids("?status=404")).toEqual(["no-such-model"]);
    expect(await ids("?error_code=model_not_found")).toEqual(["no-such-model"]);
    expect(await ids("?status=success&streamed=true")).toEqual(["rx-fb"]);
    expect((await ids(`?key_id=${v.adaKeyId}`)).length).toBe(3);
    expect((await ids(`?team_id=${v.team.id}`)).length).toBe(1);
    expect(await ids("?model=rx-primary")).toEqual([]);
    expect((await ids("?endpoint=chat.completions")).length).toBe(4);
    expect(await ids(`?from=${new Date(Date.now() + 60_000).toISOString()}`)).toEqual([]);
    const first = (await list(v.ada)).body.data[1];
    expect(await ids(`?request_id=${first.request_id}`)).toEqual(["no-such-model"]);
    expect(await ids(`?request_id=${first.request_id.slice(0, 10)}`)).toContain("no-such-model");
    // Another user's key or team is "not found", not an empty list.
    expect((await list(v.bo, `?key_id=${v.adaKeyId}`)).status).toBe(404);
    expect((await list(v.bo, `?team_id=${v.team.id}`)).status).toBe(404);
    expect((await list(v.ada, "?cursor=bm9wZQ")).status).toBe(422);
  });

  it("pages with next_cursor through every row once, in order", async () => {
    const v = t.value;
    const all = (await list(v.ada)).body.data.map((r) => r.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = (await list(v.ada, `?limit=1${cursor ? `&cursor=${cursor}` : ""}`)).body;
      seen.push(...page.data.map((r) => r.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all);
  });
});

describe("GET /api/v1/requests/{id}", () => {
  it("shows the asked and answering model, the attempts, timings, tokens, cost and client", async () => {
    const v = t.value;
    const failover = (await list(v.ada, "?key_id=" + v.adaKeyId)).body.data.at(-1)!;
    const { status, body } = await call(`/requests/${failover.id}`, v.ada);
    expect(status).toBe(200);
    expect(body.model_asked).toBe("rx-primary");
    expect(body.model_answered).toBe("rx-fb");
    expect(body.attempts.map((a: { outcome: string }) => a.outcome)).toEqual([
      "server_error",
      "ok",
    ]);
    expect(body.attempts[0].status).toBe(503);
    expect(body.deployment.id).toBe(body.attempts[1].deployment_id);
    expect(body.tokens.total).toBe(body.tokens.prompt + body.tokens.completion);
    expect(body.tokens.completion).toBeGreaterThan(0);
    expect(body.cost_detail.source).toBe("upstream");
    expect(body.cost_detail.lines).toEqual([
      { kind: "input", tokens: body.tokens.prompt, price_per_million: "1.00" },
      { kind: "output", tokens: body.tokens.completion, price_per_million: "2.00" },
    ]);
    expect(body.timings.total_ms).toBeGreaterThanOrEqual(body.timings.ttfb_ms);
    expect(body.timings.queue_ms).toBeGreaterThanOrEqual(0);
    expect(body.client.ip).toBe("127.0.0.1");
    expect(body.client.user_agent).toMatch(/OpenAI\/JS/);
    expect(body.payload).toBeNull();
    // By the x-request-id too.
    expect((await call(`/requests/${failover.request_id}`, v.ada)).body.id).toBe(failover.id);
  });

  it("is not found for anyone who may not see the key's usage", async () => {
    const v = t.value;
    const adaRows = (await list(v.ada, "?key_id=" + v.adaKeyId)).body.data;
    for (const row of adaRows) {
      for (const stranger of [v.bo, v.cy]) {
        const byId = await call(`/requests/${row.id}`, stranger);
        expect(byId.status).toBe(404);
        expect(byId.body.error.code).toBe("not_found");
        expect((await call(`/requests/${row.request_id}`, stranger)).status).toBe(404);
      }
      expect((await call(`/requests/${row.id}`, v.admin)).status).toBe(200);
    }
    // Ada administers the team: she sees Cy's team request; Bo does not.
    const teamRow = (await list(v.cy)).body.data[0];
    expect((await call(`/requests/${teamRow.id}`, v.ada)).status).toBe(200);
    expect((await call(`/requests/${teamRow.id}`, v.bo)).status).toBe(404);
  });
});
