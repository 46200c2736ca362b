import fs from "node:fs";
import { expect, test, type APIRequestContext, type Browser } from "@playwright/test";
import { newSignedInContext, type Account } from "../helpers/accounts";
import {
  createManagementKey,
  expectError,
  inDays,
  keyClient,
  sameOrigin,
} from "../helpers/management";

/**
 * The management API as a script uses it: every endpoint with a Management key, and every
 * refusal (which must reveal nothing about what the caller may not see).
 */
interface Person {
  account: Account;
  session: APIRequestContext;
  api: APIRequestContext;
  mgmtKey: string;
  close: () => Promise<void>;
}

async function person(browser: Browser): Promise<Person> {
  const { context, request, account } = await newSignedInContext(browser);
  const mgmtKey = await createManagementKey(request);
  const api = await keyClient(mgmtKey);
  return {
    account,
    session: request,
    api,
    mgmtKey,
    close: async () => {
      await api.dispose();
      await context.close();
    },
  };
}

const rawKeysSeen: string[] = [];

test.describe("management API with a Management key", () => {
  // In order, in one worker: the last test checks the log for every key the others created.
  test.describe.configure({ mode: "default" });
  let alice: Person;
  let bob: Person;

  test.beforeAll(async ({ browser }) => {
    alice = await person(browser);
    bob = await person(browser);
    rawKeysSeen.push(alice.mgmtKey, bob.mgmtKey);
  });
  test.afterAll(async () => {
    await alice?.close();
    await bob?.close();
  });

  test("GET /me names the user, their teams and the key used", async () => {
    const response = await alice.api.get("/api/v1/me");
    expect(response.status()).toBe(200);
    expect(response.headers()["x-request-id"]).toMatch(/^req_/);
    const me = await response.json();
    expect(me.user).toMatchObject({ email: alice.account.email, name: alice.account.name });
    expect(me.teams).toEqual([]);
    expect(me.key.display).toBe(`mb_mgmt_…${alice.mgmtKey.slice(-4)}`);
  });

  test("keys: create, list, get, update, usage and revoke", async () => {
    const created = await alice.api.post("/api/v1/keys", {
      data: { name: "CI pipeline", spending_limit: "12.50", expires_at: inDays(30) },
    });
    expect(created.status()).toBe(201);
    const key = await created.json();
    rawKeysSeen.push(key.key);
    expect(key.key).toMatch(/^mb_live_[0-9A-Za-z]{38}$/);
    expect(Object.keys(key).sort()).toEqual(
      [
        "id",
        "name",
        "type",
        "display",
        "status",
        "spend",
        "spending_limit",
        "expires_at",
        "team_id",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
        "key",
        "allowed_models",
        "rate_limits",
        "budget_period",
        "period_spend",
        "period_resets_at",
        "ip_allowlist",
        "alert_thresholds",
        "paused",
        "paused_at",
        "rolled_at",
        "previous_key_expires_at",
        "payload_capture",
      ].sort(),
    );
    expect(key).toMatchObject({
      name: "CI pipeline",
      type: "model_serving",
      status: "active",
      spend: "0.00",
      spending_limit: "12.50",
      team_id: null,
      revoked_at: null,
    });
    expect(key.display).toBe(`mb_live_…${key.key.slice(-4)}`);

    // Numbers are accepted for money.
    const numeric = await alice.api.post("/api/v1/keys", {
      data: { name: "numeric", spending_limit: 5 },
    });
    expect((await numeric.json()).spending_limit).toBe("5.00");

    const list = await (await alice.api.get("/api/v1/keys?owner=personal&status=active")).json();
    expect(list.object).toBe("list");
    const names = list.data.map((k: { name: string }) => k.name);
    expect(names).toEqual(expect.arrayContaining(["CI pipeline", "numeric", "automation"]));
    // The full key is only in the create response.
    expect(JSON.stringify(list)).not.toContain(key.key);

    const one = await (await alice.api.get(`/api/v1/keys/${key.id}`)).json();
    expect(one).not.toHaveProperty("key");
    expect(one).toMatchObject({ id: key.id, display: key.display, status: "active" });

    const patched = await alice.api.patch(`/api/v1/keys/${key.id}`, {
      data: { name: "CI (main)", spending_limit: null, expires_at: null },
    });
    expect(patched.status()).toBe(200);
    expect(await patched.json()).toMatchObject({
      name: "CI (main)",
      spending_limit: null,
      expires_at: null,
    });

    const usage = await alice.api.get(
      `/api/v1/keys/${key.id}/usage?from=${encodeURIComponent(inDays(-7))}&to=${encodeURIComponent(inDays(1))}`,
    );
    expect(usage.status()).toBe(200);
    expect(await usage.json()).toMatchObject({ key_id: key.id, data: [] });

    const revoked = await alice.api.post(`/api/v1/keys/${key.id}/revoke`);
    expect(revoked.status()).toBe(200);
    expect(await revoked.json()).toMatchObject({
      id: key.id,
      status: "revoked",
      revoked_at: expect.any(String),
    });
    expect(
      (await (await alice.api.get("/api/v1/keys?status=revoked")).json()).data.map(
        (k: { id: string }) => k.id,
      ),
    ).toContain(key.id);
    await expectError(
      await alice.api.patch(`/api/v1/keys/${key.id}`, { data: { spending_limit: "50" } }),
      409,
      "conflict",
    );
  });

  test("invalid input is 422 invalid_request naming the field", async () => {
    await expectError(
      await alice.api.post("/api/v1/keys", { data: { name: "" } }),
      422,
      "invalid_request",
      "name",
    );
    await expectError(
      await alice.api.post("/api/v1/keys", { data: { name: "x".repeat(65) } }),
      422,
      "invalid_request",
      "name",
    );
    await expectError(
      await alice.api.post("/api/v1/keys", { data: { name: "a", spending_limit: "-1" } }),
      422,
      "invalid_request",
      "spending_limit",
    );
    await expectError(
      await alice.api.post("/api/v1/keys", { data: { name: "a", spending_limit: "ten" } }),
      422,
      "invalid_request",
      "spending_limit",
    );
    await expectError(
      await alice.api.post("/api/v1/keys", { data: { name: "a", expires_at: inDays(-1) } }),
      422,
      "invalid_request",
      "expires_at",
    );
    await expectError(
      await alice.api.post("/api/v1/keys", { data: { name: "a", surprise: 1 } }),
      422,
      "invalid_request",
    );
    await expectError(
      await alice.api.get("/api/v1/keys?status=sleeping"),
      422,
      "invalid_request",
      "status",
    );
    await expectError(
      await alice.api.post("/api/v1/keys", {
        data: Buffer.from("{not json"),
        headers: { "content-type": "application/json" },
      }),
      400,
      "invalid_request",
    );
  });

  test("teams and members", async () => {
    const created = await alice.api.post("/api/v1/teams", { data: { name: "Research" } });
    expect(created.status()).toBe(201);
    const team = await created.json();
    expect(team).toMatchObject({ name: "Research", role: "admin", member_count: 1 });
    expect(
      (await (await alice.api.get("/api/v1/teams")).json()).data.map((t: { id: string }) => t.id),
    ).toContain(team.id);

    const added = await alice.api.post(`/api/v1/teams/${team.id}/members`, {
      data: { email: bob.account.email.toUpperCase(), role: "member" },
    });
    expect(added.status()).toBe(201);
    const answer = await added.json();
    expect(answer).toMatchObject({
      object: "team_invite",
      email: bob.account.email,
      role: "member",
      invite_url: expect.stringContaining("/signup?invite="),
    });
    await expectError(
      await alice.api.post(`/api/v1/teams/${team.id}/members`, {
        data: { email: bob.account.email },
      }),
      409,
      "conflict",
      "email",
    );
    // An email without an account gets the same answer (a pending team invite): adding members tells nobody who has an account.
    const unknown = await alice.api.post(`/api/v1/teams/${team.id}/members`, {
      data: { email: "nobody@example.com" },
    });
    expect(unknown.status()).toBe(201);
    const unknownAnswer = await unknown.json();
    expect(Object.keys(unknownAnswer).sort()).toEqual(Object.keys(answer).sort());
    expect(unknownAnswer).toMatchObject({
      object: "team_invite",
      email: "nobody@example.com",
      role: "member",
    });
    const pendingInvites = await (await alice.api.get(`/api/v1/invites?team_id=${team.id}`)).json();
    expect(pendingInvites.data.map((invite: { email: string }) => invite.email)).toEqual([
      "nobody@example.com",
    ]);
    await expectError(
      await alice.api.post(`/api/v1/teams/${team.id}/members`, { data: { email: "not an email" } }),
      422,
      "invalid_request",
      "email",
    );
    const members = (await (await alice.api.get(`/api/v1/teams/${team.id}/members`)).json()).data;
    const member = members.find((m: { email: string }) => m.email === bob.account.email);

    const promoted = await alice.api.patch(`/api/v1/teams/${team.id}/members/${member.user_id}`, {
      data: { role: "admin" },
    });
    expect(await promoted.json()).toMatchObject({ user_id: member.user_id, role: "admin" });
    const demoted = await alice.api.patch(`/api/v1/teams/${team.id}/members/${member.user_id}`, {
      data: { role: "member" },
    });
    expect(await demoted.json()).toMatchObject({ role: "member" });

    const me = await (await bob.api.get("/api/v1/me")).json();
    expect(me.teams).toEqual([expect.objectContaining({ id: team.id, role: "member" })]);

    // The last admin cannot leave or be demoted.
    const aliceId = (await (await alice.api.get("/api/v1/me")).json()).user.id;
    await expectError(
      await alice.api.patch(`/api/v1/teams/${team.id}/members/${aliceId}`, {
        data: { role: "member" },
      }),
      409,
      "conflict",
      "role",
    );

    const removed = await alice.api.delete(`/api/v1/teams/${team.id}/members/${member.user_id}`);
    expect(removed.status()).toBe(204);
    expect(
      (await (await alice.api.get(`/api/v1/teams/${team.id}/members`)).json()).data.map(
        (m: { email: string }) => m.email,
      ),
    ).toEqual([alice.account.email]);
  });

  test("forbidden cases reveal nothing", async () => {
    // Alice's personal key and a team with two members' keys.
    const alicePersonal = await (
      await alice.api.post("/api/v1/keys", { data: { name: "alice personal" } })
    ).json();
    rawKeysSeen.push(alicePersonal.key);
    const team = await (await alice.api.post("/api/v1/teams", { data: { name: "Shared" } })).json();
    const carolCtx = await newCarol();
    await alice.api.post(`/api/v1/teams/${team.id}/members`, {
      data: { email: bob.account.email, role: "member" },
    });
    await alice.api.post(`/api/v1/teams/${team.id}/members`, {
      data: { email: carolCtx.account.email, role: "member" },
    });
    const carolKey = await (
      await carolCtx.api.post("/api/v1/keys", {
        data: { name: "carol team key", team_id: team.id },
      })
    ).json();
    rawKeysSeen.push(carolKey.key);
    expect(carolKey.team_id).toBe(team.id);

    // Another user's key id: same answer as a key that does not exist.
    const missing = "00000000-0000-4000-8000-000000000000";
    const notFound = await expectError(
      await bob.api.get(`/api/v1/keys/${alicePersonal.id}`),
      404,
      "not_found",
    );
    const reallyMissing = await expectError(
      await bob.api.get(`/api/v1/keys/${missing}`),
      404,
      "not_found",
    );
    expect(notFound.message).toBe(reallyMissing.message);
    await expectError(
      await bob.api.patch(`/api/v1/keys/${alicePersonal.id}`, { data: { name: "mine now" } }),
      404,
      "not_found",
    );
    await expectError(
      await bob.api.post(`/api/v1/keys/${alicePersonal.id}/revoke`),
      404,
      "not_found",
    );
    await expectError(
      await bob.api.get(`/api/v1/keys/${alicePersonal.id}/usage`),
      404,
      "not_found",
    );
    await expectError(await bob.api.get("/api/v1/keys/not-a-uuid"), 404, "not_found");

    // A member cannot see, edit or revoke another member's team key; the admin can.
    expect((await (await bob.api.get(`/api/v1/keys?owner=${team.id}`)).json()).data).toEqual([]);
    await expectError(await bob.api.post(`/api/v1/keys/${carolKey.id}/revoke`), 404, "not_found");
    await expectError(
      await bob.api.patch(`/api/v1/keys/${carolKey.id}`, { data: { spending_limit: "1" } }),
      404,
      "not_found",
    );
    const adminView = await (await alice.api.get(`/api/v1/keys?owner=${team.id}`)).json();
    expect(adminView.data.map((k: { id: string }) => k.id)).toEqual([carolKey.id]);

    // A member cannot manage members.
    await expectError(
      await bob.api.post(`/api/v1/teams/${team.id}/members`, {
        data: { email: alice.account.email },
      }),
      403,
      "forbidden",
    );
    const carolId = (await (await carolCtx.api.get("/api/v1/me")).json()).user.id;
    await expectError(
      await bob.api.delete(`/api/v1/teams/${team.id}/members/${carolId}`),
      403,
      "forbidden",
    );

    // A non-member listing a team, its members or creating a key in it: "no such team".
    const stranger = await newCarol();
    await expectError(await stranger.api.get(`/api/v1/keys?owner=${team.id}`), 404, "not_found");
    await expectError(await stranger.api.get(`/api/v1/teams/${team.id}/members`), 404, "not_found");
    await expectError(
      await stranger.api.post("/api/v1/keys", { data: { name: "x", team_id: team.id } }),
      404,
      "not_found",
    );
    await expectError(
      await stranger.api.post(`/api/v1/teams/${team.id}/members`, {
        data: { email: stranger.account.email },
      }),
      404,
      "not_found",
    );

    // Management keys are personal only.
    await expectError(
      await alice.api.post("/api/v1/keys", {
        data: { name: "team bot", type: "management", team_id: team.id },
      }),
      422,
      "invalid_request",
      "team_id",
    );

    // The admin revokes the member's key.
    expect(await (await alice.api.post(`/api/v1/keys/${carolKey.id}/revoke`)).json()).toMatchObject(
      { status: "revoked" },
    );
    await carolCtx.close();
    await stranger.close();
  });

  test("credentials: none, malformed, unknown, Model Serving, revoked, cross-origin session", async ({
    playwright,
  }) => {
    const anonymous = await playwright.request.newContext({ baseURL: process.env.MB_BASE_URL });
    await expectError(await anonymous.get("/api/v1/me"), 401, "missing_api_key");
    await expectError(
      await anonymous.get("/api/v1/me", { headers: { authorization: "Basic abc" } }),
      401,
      "missing_api_key",
    );
    await expectError(
      await anonymous.get("/api/v1/me", {
        headers: { authorization: `Bearer mb_mgmt_${"a".repeat(38)}` },
      }),
      401,
      "invalid_api_key",
    );
    const tampered = alice.mgmtKey.slice(0, -1) + (alice.mgmtKey.endsWith("A") ? "B" : "A");
    await expectError(
      await anonymous.get("/api/v1/me", { headers: { authorization: `Bearer ${tampered}` } }),
      401,
      "invalid_api_key",
    );

    const serving = await (
      await alice.api.post("/api/v1/keys", { data: { name: "serving" } })
    ).json();
    rawKeysSeen.push(serving.key);
    await expectError(
      await anonymous.get("/api/v1/me", { headers: { authorization: `Bearer ${serving.key}` } }),
      403,
      "wrong_key_type",
    );

    const throwaway = await (
      await alice.api.post("/api/v1/keys", { data: { name: "throwaway", type: "management" } })
    ).json();
    rawKeysSeen.push(throwaway.key);
    await alice.api.post(`/api/v1/keys/${throwaway.id}/revoke`);
    await expectError(
      await anonymous.get("/api/v1/me", { headers: { authorization: `Bearer ${throwaway.key}` } }),
      401,
      "key_revoked",
    );

    // A session cookie alone may read, but a state change needs this server's Origin.
    expect((await alice.session.get("/api/v1/me")).status()).toBe(200);
    await expectError(
      await alice.session.post("/api/v1/teams", {
        data: { name: "csrf" },
        headers: { origin: "https://evil.example" },
      }),
      403,
      "forbidden",
    );
    await expectError(
      await alice.session.post("/api/v1/teams", { data: { name: "csrf" } }),
      403,
      "forbidden",
    );
    expect(
      (
        await alice.session.post("/api/v1/teams", {
          data: { name: "same origin" },
          headers: sameOrigin(),
        })
      ).status(),
    ).toBe(201);
    await anonymous.dispose();
  });

  test("the account's cap of active keys is 409 key_limit_reached with what to do", async ({
    browser,
  }) => {
    const capped = await person(browser);
    // The Management key is one of the 50.
    for (let i = 1; i < 50; i++) {
      const response = await capped.api.post("/api/v1/keys", { data: { name: `bulk ${i}` } });
      expect(response.status()).toBe(201);
    }
    const refused = await expectError(
      await capped.api.post("/api/v1/keys", { data: { name: "one too many" } }),
      409,
      "key_limit_reached",
    );
    expect(refused.message).toMatch(/50 active keys.*Revoke a key/);
    await capped.close();
  });

  test("unknown endpoints and the OpenAPI document", async ({ playwright }) => {
    await expectError(await alice.api.get("/api/v1/nothing-here"), 404, "not_found");
    const anonymous = await playwright.request.newContext({ baseURL: process.env.MB_BASE_URL });
    const doc = await (await anonymous.get("/api/v1/openapi.json")).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/me",
        "/keys",
        "/keys/{id}",
        "/keys/{id}/revoke",
        "/keys/{id}/usage",
        "/teams",
        "/teams/{id}/members",
        "/teams/{id}/members/{user_id}",
      ]),
    );
    expect(
      doc.paths["/keys"].post.requestBody.content["application/json"].schema.properties.name
        .maxLength,
    ).toBe(64);
    await anonymous.dispose();
  });

  test("no raw key ever reaches the server log", async () => {
    const log = process.env.MB_SERVER_LOG;
    expect(log, "global setup exposes the server log").toBeTruthy();
    const text = fs.readFileSync(log!, "utf8");
    for (const key of rawKeysSeen) expect(text).not.toContain(key);
  });

  let carolBrowser: Browser;
  test.beforeAll(async ({ browser }) => {
    carolBrowser = browser;
  });
  async function newCarol() {
    return person(carolBrowser);
  }
});
