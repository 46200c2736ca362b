import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { setProcessDatabase } from "@/db/client";
import { createKey, createUser, startHarness, type Harness } from "../helpers/harness";

/**
 * A NUL byte (or another control character) in a user-entered string is refused at the
 * door with 422 naming the field. Postgres cannot store NUL in text: before, such a name
 * reached the database and came back as a 500.
 */
vi.mock("@/lib/auth", () => ({ auth: async () => null }));

let h: Harness;
let adminKey: string;
let teamId: string;
let keyId: string;
let modelId: string;

beforeAll(async () => {
  h = await startHarness();
  setProcessDatabase(h.database);
  const admin = await createUser(h.database, "admin");
  adminKey = (await createKey(h.database, { userId: admin.id, type: "management" })).key;
  teamId = (await call("POST", "/api/v1/teams", { name: "Team ok" })).json.id;
  keyId = (await call("POST", "/api/v1/keys", { name: "key ok" })).json.id;
  modelId = (
    await call("POST", "/api/v1/models", {
      name: "ctl/model",
      base_url: "http://127.0.0.1:9/v1",
      input_price_per_million: "1",
      output_price_per_million: "1",
    })
  ).json.id;
});

afterAll(async () => {
  await h?.close();
});

const routes: Record<string, () => Promise<Record<string, any>>> = {
  "/api/v1/teams": () => import("@/app/api/v1/teams/route"),
  "/api/v1/keys": () => import("@/app/api/v1/keys/route"),
  "/api/v1/keys/[id]": () => import("@/app/api/v1/keys/[id]/route"),
  "/api/v1/models": () => import("@/app/api/v1/models/route"),
  "/api/v1/models/[id]": () => import("@/app/api/v1/models/[id]/route"),
  "/api/v1/teams/[id]/members": () => import("@/app/api/v1/teams/[id]/members/route"),
};

async function call(
  method: string,
  path: string,
  body?: unknown,
  params: Record<string, string> = {},
) {
  const route = path.replace(/\/[0-9a-f-]{36}/g, "/[id]").replace(/\?.*$/, "");
  const handler = (await routes[route]())[method];
  const request = new Request(`http://localhost${path}`, {
    method,
    headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const response: Response = await handler(request, { params: Promise.resolve(params) });
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

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
      () => ({ id: keyId }),
      "name",
    ],
    [
      "POST",
      "/api/v1/teams/[id]/members",
      "member email",
      () => ({ email: "a\u0000@example.com" }),
      () => ({ id: teamId }),
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
      () => ({ id: modelId }),
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
      expect(answer.json.error).toMatchObject({ code: "invalid_request", param: field });
    },
  );

  it("a NUL in a path id or a search query is a 4xx, never a 500", async () => {
    for (const route of [
      "/api/v1/keys/[id]",
      "/api/v1/models/[id]",
      "/api/v1/teams/[id]/members",
    ]) {
      const { GET } = await routes[route]();
      const response: Response = await GET(
        new Request(`http://localhost${route.replace("[id]", "x%00")}`, {
          headers: { authorization: `Bearer ${adminKey}` },
        }),
        { params: Promise.resolve({ id: "x\u0000" }) },
      );
      expect(response.status, route).toBeGreaterThanOrEqual(400);
      expect(response.status, route).toBeLessThan(500);
    }
    const { GET } = await routes["/api/v1/keys"]();
    const response: Response = await GET(
      new Request("http://localhost/api/v1/keys?search=a%00b", {
        headers: { authorization: `Bearer ${adminKey}` },
      }),
      { params: Promise.resolve({}) },
    );
    expect(response.status).toBe(422);
  });

  it("names with ordinary punctuation and other scripts still work", async () => {
    expect((await call("POST", "/api/v1/teams", { name: "Équipe – 研究 #2" })).status).toBe(201);
    expect((await call("POST", "/api/v1/keys", { name: "prod key (eu-west) ✓" })).status).toBe(201);
  });
});
