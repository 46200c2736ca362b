import fc from "fast-check";
import { afterAll, describe, expect, it, vi } from "vitest";
import { setProcessDatabase } from "@/db/client";
import { callRoute, type RouteAnswer, type RouteHandler } from "../helpers/call-route";
import { createKey, createUser, harnessForFile } from "../helpers/harness";

/**
 * Property-based bad input against the `/api/v1` App Router handlers themselves (the code
 * Next runs), with a real database: wrong bodies, odd Authorization headers, wrong methods
 * (the catch-all), odd ids and query strings. Every answer is a 4xx in the envelope.
 * next-auth cannot load outside Next; with no Authorization header the session is absent.
 */
vi.mock("@/lib/auth", () => ({ auth: async () => null }));

interface Route {
  path: (id: string) => string;
  module: Record<string, unknown>;
  params: (id: string) => Record<string, string | string[]>;
}

let sent = 0;
const statuses = new Map<number, number>();

const t = harnessForFile(async (h) => {
  setProcessDatabase(h.database);
  const adminKey = (
    await createKey(h.database, {
      userId: (await createUser(h.database, "admin")).id,
      type: "management",
    })
  ).key;
  const routes: Route[] = [
    {
      path: () => "/api/v1/keys",
      module: await import("@/app/api/v1/keys/route"),
      params: () => ({}),
    },
    {
      path: (id) => `/api/v1/keys/${id}`,
      module: await import("@/app/api/v1/keys/[id]/route"),
      params: (id) => ({ id }),
    },
    {
      path: (id) => `/api/v1/keys/${id}/revoke`,
      module: await import("@/app/api/v1/keys/[id]/revoke/route"),
      params: (id) => ({ id }),
    },
    {
      path: (id) => `/api/v1/keys/${id}/usage`,
      module: await import("@/app/api/v1/keys/[id]/usage/route"),
      params: (id) => ({ id }),
    },
    {
      path: () => "/api/v1/models",
      module: await import("@/app/api/v1/models/route"),
      params: () => ({}),
    },
    {
      path: (id) => `/api/v1/models/${id}`,
      module: await import("@/app/api/v1/models/[id]/route"),
      params: (id) => ({ id }),
    },
    {
      path: () => "/api/v1/teams",
      module: await import("@/app/api/v1/teams/route"),
      params: () => ({}),
    },
    {
      path: (id) => `/api/v1/teams/${id}/members`,
      module: await import("@/app/api/v1/teams/[id]/members/route"),
      params: (id) => ({ id }),
    },
    {
      path: () => "/api/v1/usage",
      module: await import("@/app/api/v1/usage/route"),
      params: () => ({}),
    },
    { path: () => "/api/v1/me", module: await import("@/app/api/v1/me/route"), params: () => ({}) },
    {
      path: (id) => `/api/v1/${id}`,
      module: await import("@/app/api/v1/[...path]/route"),
      params: (id) => ({ path: id.split("/") }),
    },
  ];
  return { adminKey, routes };
});

afterAll(() => {
  console.log(
    JSON.stringify({ fuzz: "api_v1", requests: sent, statuses: Object.fromEntries(statuses) }),
  );
});

async function call(
  route: Route,
  method: string,
  id: string,
  query: string,
  headers: Record<string, string>,
  body?: BodyInit,
) {
  const handler = route.module[method] as RouteHandler | undefined;
  if (!handler) return null; // Next itself answers 405 for a method the module does not export
  sent++;
  const answer = await callRoute({
    handler,
    method,
    path: `${route.path(encodeURIComponent(id))}${query}`,
    params: route.params(id),
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : body,
  });
  statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
  return answer;
}

function expectEnvelope4xx(response: RouteAnswer, what: string) {
  // callRoute parses a JSON answer; one that is not JSON must still parse as JSON here.
  const text = typeof response.body === "string" ? response.body : JSON.stringify(response.body);
  expect(response.status, `${what}: ${text}`).toBeGreaterThanOrEqual(400);
  expect(response.status, `${what}: ${text}`).toBeLessThan(500);
  const parsed = JSON.parse(text) as { error?: Record<string, unknown> };
  expect(parsed.error).toMatchObject({
    message: expect.any(String),
    type: expect.any(String),
    code: expect.any(String),
  });
  expect(response.headers.get("x-request-id")).toMatch(/^req_/);
}

const wrongBody = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? "null"),
  fc
    .record(
      {
        name: fc.oneof(
          fc.string({ maxLength: 100 }),
          fc.integer(),
          fc.constant(null),
          fc.constant(""),
        ),
        type: fc.oneof(fc.string(), fc.constantFrom("model_serving", "management", "admin")),
        team_id: fc.oneof(fc.string(), fc.uuid(), fc.integer()),
        spending_limit: fc.oneof(
          fc.string(),
          fc.double(),
          fc.constantFrom("-1", "1e99", "12.3456789", "NaN"),
        ),
        expires_at: fc.oneof(
          fc.string(),
          fc.integer(),
          fc.constantFrom("1970-01-01T00:00:00Z", "not a date"),
        ),
        base_url: fc.oneof(
          fc.string(),
          fc.webUrl(),
          fc.constantFrom("file:///etc/passwd", "javascript:alert(1)", "http://"),
        ),
        input_price_per_million: fc.oneof(fc.string(), fc.double()),
        email: fc.string(),
        role: fc.string(),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom("", "{", "[]", "null", "\u0000", '{"name":'),
);
const id = fc.oneof(
  fc.uuid(),
  fc.string({ maxLength: 40 }),
  fc.constantFrom("..", "%2e", "00000000-0000-0000-0000-000000000000", "1", "-1", "a/b"),
);
const query = fc.oneof(
  fc.constant(""),
  fc.string({ unit: fc.constantFrom(..."az09=&%-_.:+"), maxLength: 40 }).map((q) => `?${q}`),
  fc.constantFrom(
    "?owner=",
    "?owner=personal&status=bogus",
    "?from=zzz&to=2020",
    "?owner=%ZZ",
    "?status=active&status=revoked",
  ),
);

describe("/api/v1 under bad input", () => {
  it("wrong bodies, ids, methods and query strings with a valid Management key: 4xx envelope", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(t.value.routes.length - 1),
        fc.constantFrom("GET", "POST", "PATCH", "PUT", "DELETE"),
        id,
        query,
        wrongBody,
        async (routeIndex, method, anId, aQuery, body) => {
          const response = await call(
            t.value.routes[routeIndex],
            method,
            anId,
            aQuery,
            { authorization: `Bearer ${t.value.adminKey}`, "content-type": "application/json" },
            body,
          );
          if (!response || response.status < 300) return; // a random body may be a valid request
          expectEnvelope4xx(
            response,
            `${method} ${t.value.routes[routeIndex].path(anId)}${aQuery}`,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("odd Authorization headers: 401/403 envelope (429 once the address has failed too often)", async () => {
    const authorization = fc.oneof(
      fc.string({ unit: fc.constantFrom(..."abcXYZ019 _-.=+/:"), maxLength: 60 }),
      fc
        .string({ unit: fc.constantFrom(..."abcXYZ019_"), maxLength: 60 })
        .map((token) => `Bearer ${token}`),
      fc.constantFrom(
        "Bearer",
        "Bearer ",
        "Basic Zm9vOmJhcg==",
        "Bearer mb_mgmt_",
        "Bearer mb_live_x",
      ),
      fc
        .constant(null)
        .map(
          () =>
            `Bearer ${t.value.adminKey.slice(0, -1)}${t.value.adminKey.endsWith("A") ? "B" : "A"}`,
        ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.nat(t.value.routes.length - 2),
        authorization,
        async (routeIndex, header) => {
          const route = t.value.routes[routeIndex];
          const method = route.module.GET ? "GET" : "POST";
          // As server.ts would stamp it: an address of its own, so the failure limit it reaches
          // does not refuse the other properties' requests.
          const headers = { authorization: header, "x-modelbridge-client-ip": "198.51.100.7" };
          const response = await call(
            route,
            method,
            "00000000-0000-0000-0000-000000000000",
            "",
            headers,
            "{}",
          );
          expect(response).not.toBeNull();
          expectEnvelope4xx(response!, header);
          expect([401, 403, 429]).toContain(response!.status);
        },
      ),
      { numRuns: 80 },
    );
  });

  it("refuses a body streamed beyond the cap with 413 after reading at most about the cap", async () => {
    const { POST } = await import("@/app/api/v1/keys/route");
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    let pulled = 0;
    const total = 64 * chunk.length; // 4 MiB, four times the cap
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (pulled >= total) return controller.close();
        await new Promise((resolve) => setTimeout(resolve, 1));
        pulled += chunk.length;
        controller.enqueue(chunk);
      },
    });
    sent++;
    const request = new Request("http://localhost/api/v1/keys", {
      method: "POST",
      headers: { authorization: `Bearer ${t.value.adminKey}`, "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    const response = await POST(request, { params: Promise.resolve({}) });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      "request_too_large",
    );
    expect(pulled).toBeLessThan(total / 2);
  });

  it("still serves a good request afterwards", async () => {
    const { GET } = await import("@/app/api/v1/me/route");
    const response = await GET(
      new Request("http://localhost/api/v1/me", {
        headers: { authorization: `Bearer ${t.value.adminKey}` },
      }),
      { params: Promise.resolve({}) },
    );
    expect(response.status).toBe(200);
  });
});
