import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { setProcessDatabase, type Database } from "@/db/client";
import { usageRecords } from "@/db/schema";
import { createKey } from "@/lib/keys/create-key";
import { createInvite } from "@/lib/invites/invites";
import { createModel } from "@/lib/models/service";
import { createModelInput } from "@/lib/models/schemas";
import { createTeam } from "@/lib/teams/teams";
import { createWebhook } from "@/lib/webhooks/webhooks";
import { makeActor, makeAdmin } from "@/tests/helpers/actors";
import { openTestDatabase } from "@/tests/helpers/database";

/**
 * Every `/api/v1` route on disk, found by walking app/api/v1 (not listed by hand), is called
 * three ways: with no credential (401), by a signed-in stranger with a Management key on
 * another user's resources (403/404, and nothing of theirs in the answer), and with a
 * session cookie from another origin (403). A new route that forgets any of these fails here.
 */
const state = vi.hoisted(() => {
  process.env.ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
  return { session: null as { user: { id: string }; sessionVersion: number } | null };
});
vi.mock("@/lib/auth", () => ({ auth: async () => state.session }));

const API_ROOT = path.join(process.cwd(), "app/api/v1");
/** Routes that grant nothing, so answer anyone: each with the reason. */
const PUBLIC = new Map([
  ["openapi.json", "describes the API"],
  ["[...path]", "the 404 for unknown paths"],
]);
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
/** A valid body where `{}` would be refused before the check on rights is reached. */
const BODIES: Record<string, unknown> = {
  "PATCH teams/[id]/members/[user_id]": { role: "member" },
  "POST teams/[id]/members": { email: "someone@example.test", role: "member" },
  "PATCH keys/[id]": { name: "renamed" },
  "PATCH models/[id]": { enabled: false },
  "POST models/[id]/deployments": { base_url: "http://127.0.0.1:9/v1" },
  "PATCH models/[id]/deployments/[deployment_id]": { weight: 2 },
};

function routeFiles(dir = API_ROOT): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return name === "route.ts" ? [path.relative(API_ROOT, dir)] : [];
  });
}

type Handler = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response>;
interface Route {
  path: string;
  method: (typeof METHODS)[number];
  handler: Handler;
}

let database: Database;
let routes: Route[];
/** Another user's things; the stranger must not reach them. */
const theirs = {
  keys: "",
  teams: "",
  invites: "",
  models: "",
  webhooks: "",
  user_id: "",
  email: "",
  deployment_id: "",
  requests: "",
};
let strangerId = "";
let strangerKey = "";

beforeAll(async () => {
  database = await openTestDatabase();
  setProcessDatabase(database);
  const db = database.db;
  const admin = await makeAdmin(db, "Owner");
  const owner = admin;
  const team = await createTeam(db, admin, "Owner's team");
  const key = await createKey(db, admin, {
    name: "owner key",
    type: "model_serving",
    teamId: null,
    spendingLimit: null,
    expiresAt: null,
  });
  const invite = await createInvite(db, admin, { email: "invitee@example.test", teamId: team.id });
  const model = await createModel(
    database,
    createModelInput.parse({
      name: "guarded-model",
      base_url: "http://127.0.0.1:9/v1",
      input_price_per_million: "1",
      output_price_per_million: "1",
    }),
    admin.user.id,
  );
  const webhook = await createWebhook(db, admin, {
    url: "http://127.0.0.1:9/hook",
    description: "owner's hook",
    teamId: null,
  });
  const [usage] = await db
    .insert(usageRecords)
    .values({
      requestId: "req_owner_guarded",
      keyId: key.key.id,
      userId: owner.user.id,
      model: "guarded-model",
      status: 200,
    })
    .returning({ id: usageRecords.id });
  Object.assign(theirs, {
    requests: usage.id,
    keys: key.key.id,
    webhooks: webhook.webhook.id,
    teams: team.id,
    invites: invite.invite.id,
    models: model.id,
    // A registered model's first deployment has the model's id.
    deployment_id: model.id,
    user_id: owner.user.id,
    email: owner.user.email,
  });

  const stranger = await makeActor(db, "Stranger");
  strangerId = stranger.user.id;
  strangerKey = (
    await createKey(db, stranger, {
      name: "stranger mgmt",
      type: "management",
      teamId: null,
      spendingLimit: null,
      expiresAt: null,
    })
  ).rawKey;

  routes = [];
  for (const dir of routeFiles()) {
    if (PUBLIC.has(dir)) continue;
    const mod = (await import(/* @vite-ignore */ path.join(API_ROOT, dir, "route.ts"))) as Partial<
      Record<string, Handler>
    >;
    for (const method of METHODS) {
      const handler = mod[method];
      if (handler) routes.push({ path: dir, method, handler });
    }
  }
});
afterAll(async () => {
  await database?.close();
});

/** The URL and params for a route, its dynamic segments filled with the other user's ids. */
function target(route: Route) {
  const params: Record<string, string> = {};
  const segments = route.path.split(path.sep);
  const url = segments
    .map((segment, i) => {
      const match = /^\[(\w+)\]$/.exec(segment);
      if (!match) return segment;
      // `[id]` takes the id of what the segment before it names (keys, teams…), `[user_id]` the owner's.
      const kind = match[1] === "id" ? segments[i - 1] : match[1];
      const id = theirs[kind as keyof typeof theirs];
      if (!id) throw new Error(`No fixture for ${segment} in ${route.path}: add one to this test`);
      params[match[1]] = id;
      return id;
    })
    .join("/");
  return { url: `http://localhost/api/v1/${url}`, params };
}

async function call(route: Route, headers: Record<string, string>) {
  const { url, params } = target(route);
  const body =
    route.method === "GET" || route.method === "DELETE"
      ? undefined
      : JSON.stringify(BODIES[`${route.method} ${route.path}`] ?? {});
  const response = await route.handler(
    new Request(url, {
      method: route.method,
      headers: { "content-type": "application/json", ...headers },
      body,
    }),
    { params: Promise.resolve(params) },
  );
  return { status: response.status, text: await response.text() };
}

describe("every /api/v1 route", () => {
  it("is found on disk, public ones named with a reason", () => {
    expect(routes.length).toBeGreaterThan(15);
    expect(
      routeFiles()
        .filter((dir) => PUBLIC.has(dir))
        .sort(),
    ).toEqual([...PUBLIC.keys()].sort());
  });

  it("answers 401 in the error envelope without a credential", async () => {
    state.session = null;
    for (const route of routes) {
      const { status, text } = await call(route, {});
      expect(status, `${route.method} ${route.path}`).toBe(401);
      expect(JSON.parse(text).error.code, `${route.method} ${route.path}`).toBe("missing_api_key");
    }
  });

  it("gives a caller without rights 403 or 404 on another user's things, and never their data", async () => {
    state.session = null;
    for (const route of routes) {
      const { status, text } = await call(route, { authorization: `Bearer ${strangerKey}` });
      const name = `${route.method} ${route.path}`;
      if (route.path.includes("["))
        expect([403, 404], `${name} (a 422 wants a valid body in BODIES)`).toContain(status);
      for (const value of Object.values(theirs)) expect(text, name).not.toContain(value);
      expect(status, name).toBeLessThan(500);
    }
  });

  it("refuses a state-changing request riding on a session cookie from another origin", async () => {
    state.session = { user: { id: strangerId }, sessionVersion: 0 };
    try {
      for (const route of routes.filter((r) => r.method !== "GET")) {
        const { status, text } = await call(route, { origin: "https://evil.example" });
        expect(status, `${route.method} ${route.path}`).toBe(403);
        expect(JSON.parse(text).error.code).toBe("forbidden");
      }
    } finally {
      state.session = null;
    }
  });
});
