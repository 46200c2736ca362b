import { describe, expect, it, vi } from "vitest";
import { setProcessDatabase } from "@/db/client";
import { createKey } from "@/lib/keys/create-key";
import { CLIENT_IP_HEADER } from "@/lib/http/client-ip";
import { makeActor } from "../helpers/actors";
import { callRoute } from "../helpers/call-route";
import { harnessForFile } from "../helpers/harness";

/**
 * Issue 27 item 3: a Management key's IP allowlist and rate limits hold on /api/v1, as a
 * Model Serving key's do on /v1 (before, 4 calls from outside its range were all 201).
 */
vi.mock("@/lib/auth", () => ({ auth: async () => null }));

const t = harnessForFile(async (h) => {
  setProcessDatabase(h.database);
});

async function managementKey(extra: Record<string, unknown>) {
  const actor = await makeActor(t.h.database.db, "Scripter");
  const { rawKey } = await createKey(t.h.database.db, actor, {
    name: "ci",
    type: "management",
    teamId: null,
    spendingLimit: null,
    expiresAt: null,
    ...extra,
  });
  return rawKey;
}

async function call(key: string, ip: string, method = "GET", path = "/api/v1/me", json?: unknown) {
  const routes: Record<string, () => Promise<Record<string, any>>> = {
    "/api/v1/me": () => import("@/app/api/v1/me/route"),
    "/api/v1/keys": () => import("@/app/api/v1/keys/route"),
  };
  const handler = (await routes[path]())[method];
  return callRoute({ handler, method, path, key, json, headers: { [CLIENT_IP_HEADER]: ip } });
}

describe("Management key controls on /api/v1", () => {
  it("the IP allowlist: 403 ip_not_allowed from outside its ranges, for reads and writes", async () => {
    const key = await managementKey({ ipAllowlist: ["10.0.0.0/8", "2001:db8::/32"] });
    expect((await call(key, "10.1.2.3")).status).toBe(200);
    expect((await call(key, "2001:db8::5")).status).toBe(200);
    for (const ip of ["192.0.2.9", "11.0.0.1", "::1"]) {
      const answer = await call(key, ip);
      expect(answer.status, ip).toBe(403);
      expect(answer.body.error.code).toBe("ip_not_allowed");
    }
    const write = await call(key, "192.0.2.9", "POST", "/api/v1/keys", { name: "sneaky" });
    expect(write.status).toBe(403);
  });

  it("requests per minute: 429 rate_limit_exceeded with retry-after past the limit", async () => {
    const key = await managementKey({
      rateLimits: { requestsPerMinute: 3, tokensPerMinute: null, maxConcurrent: null },
    });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await call(key, "10.0.0.1")).status);
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toEqual([429, 429, 429]);
    const refused = await call(key, "10.0.0.1");
    expect(refused.body.error.code).toBe("rate_limit_exceeded");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("max_concurrent: a slot is given back when each request ends", async () => {
    const key = await managementKey({
      rateLimits: { requestsPerMinute: null, tokensPerMinute: null, maxConcurrent: 1 },
    });
    for (let i = 0; i < 5; i++) expect((await call(key, "10.0.0.1")).status).toBe(200);
  });

  it("a key without controls is unaffected", async () => {
    const key = await managementKey({});
    for (let i = 0; i < 5; i++) expect((await call(key, "203.0.113.1")).status).toBe(200);
  });
});
