import { describe, expect, it, vi } from "vitest";
import { setProcessDatabase } from "@/db/client";
import { callRoute } from "../helpers/call-route";
import { createKey, createUser, harnessForFile } from "../helpers/harness";
import { listUsers } from "@/lib/admin/users";
import { listTeamsOverview } from "@/lib/admin/teams-overview";
import { listOwnerBalances } from "@/lib/admin/balances-overview";
import { searchParam } from "@/lib/http/search-param";

/**
 * A NUL byte (or another control character) in a user-entered string is refused at the
 * door with 422 naming the field. Postgres cannot store NUL in text: before, such a name
 * reached the database and came back as a 500.
 */
vi.mock("@/lib/auth", () => ({ auth: async () => null }));

const t = harnessForFile(async (h) => {
  setProcessDatabase(h.database);
  const admin = await createUser(h.database, "admin");
  const adminKey = (await createKey(h.database, { userId: admin.id, type: "management" })).key;
  const setup = (path: string, json: unknown) => send(adminKey, "POST", path, json);
  const teamId = (await setup("/api/v1/teams", { name: "Team ok" })).body.id as string;
  const keyId = (await setup("/api/v1/keys", { name: "key ok" })).body.id as string;
  const modelId = (
    await setup("/api/v1/models", {
      name: "ctl/model",
      base_url: "http://127.0.0.1:9/v1",
      input_price_per_million: "1",
      output_price_per_million: "1",
    })
  ).body.id as string;
  return { adminId: admin.id, adminKey, teamId, keyId, modelId };
});

const routes: Record<string, () => Promise<Record<string, any>>> = {
  "/api/v1/teams": () => import("@/app/api/v1/teams/route"),
  "/api/v1/keys": () => import("@/app/api/v1/keys/route"),
  "/api/v1/keys/[id]": () => import("@/app/api/v1/keys/[id]/route"),
  "/api/v1/models": () => import("@/app/api/v1/models/route"),
  "/api/v1/models/[id]": () => import("@/app/api/v1/models/[id]/route"),
  "/api/v1/teams/[id]/members": () => import("@/app/api/v1/teams/[id]/members/route"),
};

async function send(
  key: string,
  method: string,
  path: string,
  json?: unknown,
  params: Record<string, string> = {},
) {
  const route = path.replace(/\/[0-9a-f-]{36}/g, "/[id]").replace(/\?.*$/, "");
  const handler = (await routes[route]())[method];
  return callRoute({ handler, key, method, path, json, params });
}
// The tests call as the platform admin.
const call = (method: string, path: string, json?: unknown, params: Record<string, string> = {}) =>
  send(t.value.adminKey, method, path, json, params);

describe("control characters in user-entered strings", () => {
  const cases: [string, string, string, () => unknown, () => Record<string, string>, string][] = [
    ["POST", "/api/v1/teams", "team name", () => ({ name: "Team\u0000x" }), () => ({}), "name"],
    ["POST", "/api/v1/keys", "key name", () => ({ name: "key\u0000x" }), () => ({}), "name"],
    [
      "POST",
      "/api/v1/keys",
      "key name (escape)",
      () => ({ name: "key\u001b[31m" }),
      () => ({}),
      "name",
    ],
    [
      "PATCH",
      "/api/v1/keys/[id]",
      "new key name",
      () => ({ name: "\u0000" }),
      () => ({ id: t.value.keyId }),
      "name",
    ],
    [
      "POST",
      "/api/v1/teams/[id]/members",
      "member email",
      () => ({ email: "a\u0000@example.com" }),
      () => ({ id: t.value.teamId }),
      "email",
    ],
    [
      "POST",
      "/api/v1/models",
      "upstream model",
      () => ({
        name: "ctl/a",
        base_url: "http://127.0.0.1:9/v1",
        upstream_model: "m\u0000",
        input_price_per_million: "1",
        output_price_per_million: "1",
      }),
      () => ({}),
      "upstream_model",
    ],
    [
      "POST",
      "/api/v1/models",
      "base URL",
      () => ({
        name: "ctl/b",
        base_url: "http://127.0.0.1:9/v1\u0000",
        input_price_per_million: "1",
        output_price_per_million: "1",
      }),
      () => ({}),
      "base_url",
    ],
    [
      "PATCH",
      "/api/v1/models/[id]",
      "upstream credential",
      () => ({ api_key: "sk-\u0000" }),
      () => ({ id: t.value.modelId }),
      "api_key",
    ],
  ];

  it.each(cases)(
    "%s %s: a NUL/control character in the %s is a 422 on that field",
    async (method, path, _what, body, params, field) => {
      const p = params();
      const url = path.replace("[id]", p.id ?? "");
      const answer = await call(method, url, body(), p);
      expect(answer.status).toBe(422);
      expect(answer.body.error).toMatchObject({ code: "invalid_request", param: field });
    },
  );

  it("a NUL in a path id or a search query is a 4xx, never a 500", async () => {
    for (const route of [
      "/api/v1/keys/[id]",
      "/api/v1/models/[id]",
      "/api/v1/teams/[id]/members",
    ]) {
      const response = await callRoute({
        handler: (await routes[route]()).GET,
        path: route.replace("[id]", "x%00"),
        key: t.value.adminKey,
        params: { id: "x\u0000" },
      });
      expect(response.status, route).toBeGreaterThanOrEqual(400);
      expect(response.status, route).toBeLessThan(500);
    }
    const response = await callRoute({
      handler: (await routes["/api/v1/keys"]()).GET,
      path: "/api/v1/keys?search=a%00b",
      key: t.value.adminKey,
    });
    expect(response.status).toBe(422);
  });

  it("names with ordinary punctuation and other scripts still work", async () => {
    expect((await call("POST", "/api/v1/teams", { name: "Équipe – 研究 #2" })).status).toBe(201);
    expect((await call("POST", "/api/v1/keys", { name: "prod key (eu-west) ✓" })).status).toBe(201);
  });
});

/** Issue 27 item 10: input that is not text, or too deep, is a 4xx naming the field, never a 5xx. */
describe("lone surrogates, deep JSON and admin searches", () => {
  // JSON.stringify writes a lone surrogate as the escape "\ud800": what a client sends.
  const lone = "\ud800";
  it.each([
    ["POST", "/api/v1/teams", { name: `Team ${lone}` }, "name"],
    ["POST", "/api/v1/keys", { name: `key ${lone}` }, "name"],
    ["POST", "/api/v1/teams/[id]/members", { email: `a${lone}@example.com` }, "email"],
  ] as const)("%s %s: a lone surrogate is a 422 on %s", async (method, path, body, field) => {
    const params: Record<string, string> = path.includes("[id]") ? { id: t.value.teamId } : {};
    const answer = await call(method, path.replace("[id]", params.id ?? ""), body, params);
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatchObject({ code: "invalid_request", param: field });
    expect(answer.body.error.message).toMatch(/Unicode/);
  });

  it("PATCH a key's name with a lone surrogate: 422, the key unchanged", async () => {
    const answer = await call(
      "PATCH",
      `/api/v1/keys/${t.value.keyId}`,
      { name: lone },
      { id: t.value.keyId },
    );
    expect(answer.status).toBe(422);
    expect(answer.body.error.param).toBe("name");
  });

  it("a body nested 50,000 deep is a 400 on /api/v1", async () => {
    const deep = `{"name":"k","x":${"[".repeat(50_000)}${"]".repeat(50_000)}}`;
    const response = await callRoute({
      handler: (await routes["/api/v1/keys"]()).POST,
      method: "POST",
      path: "/api/v1/keys",
      key: t.value.adminKey,
      headers: { "content-type": "application/json" },
      body: deep,
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/deeper than 100/);
  });

  it("admin searches with a NUL, a lone surrogate or a repeated q list instead of failing", async () => {
    const actor = {
      user: { id: t.value.adminId, email: "a@x", name: "A", role: "admin" as const },
      keyId: null,
    };
    for (const q of ["a\u0000b", lone, "%00"]) {
      await expect(listUsers(t.h.database.db, actor, q)).resolves.toBeInstanceOf(Array);
      await expect(listTeamsOverview(t.h.database.db, actor, q)).resolves.toBeInstanceOf(Array);
      await expect(listOwnerBalances(t.h.database.db, actor, q)).resolves.toBeInstanceOf(Array);
    }
    expect(searchParam("a\u0000b")).toEqual({
      search: "",
      error: "Search (q) must not contain control characters.",
    });
    expect(searchParam(["x", "y"])).toEqual({ search: "x", error: null });
  });
});
