import { describe, expect, it, vi } from "vitest";
import { setProcessDatabase } from "@/db/client";
import { callRoute, type RouteHandler } from "../helpers/call-route";
import { client, createKey, createUser, harnessForFile } from "../helpers/harness";

/**
 * The key controls over `/api/v1` with a Management key: create and PATCH take every
 * field, pause/resume/roll answer the key, roll shows the new secret once, another user's
 * key is a 404; the OpenAPI document lists the new routes and fields.
 */
vi.mock("@/lib/auth", () => ({ auth: async () => null }));

const t = harnessForFile(async (h) => {
  setProcessDatabase(h.database);
  const aliceId = (await createUser(h.database)).id;
  const aliceKey = (await createKey(h.database, { userId: aliceId, type: "management" })).key;
  const bobKey = (
    await createKey(h.database, { userId: (await createUser(h.database)).id, type: "management" })
  ).key;
  return { aliceId, aliceKey, bobKey };
});

// Every call here is to /api/v1 with a Management key and, when there is one, a JSON body.
const call = (
  handler: RouteHandler,
  key: string,
  method: string,
  path: string,
  json?: unknown,
  params: Record<string, string> = {},
) => callRoute({ handler, key, method, path: `/api/v1${path}`, json, params });

describe("/api/v1/keys controls", () => {
  it("creates with every control, patches them, and refuses bad values naming the field", async () => {
    const { POST } = await import("@/app/api/v1/keys/route");
    const { PATCH } = await import("@/app/api/v1/keys/[id]/route");
    const created = await call(POST, t.value.aliceKey, "POST", "/keys", {
      name: "controlled",
      spending_limit: "10",
      allowed_models: ["modelbridge/echo", "modelbridge/echo"],
      rate_limits: { requests_per_minute: 60, tokens_per_minute: 5000 },
      budget_period: "weekly",
      ip_allowlist: ["10.1.2.3/8", "2001:db8::1"],
      alert_thresholds: [100, 50],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      allowed_models: ["modelbridge/echo"],
      rate_limits: { requests_per_minute: 60, tokens_per_minute: 5000, max_concurrent: null },
      budget_period: "weekly",
      period_spend: "0.00",
      ip_allowlist: ["10.0.0.0/8", "2001:db8::1/128"],
      alert_thresholds: [50, 100],
      paused: false,
    });
    // Weekly periods reset on Monday, 00:00 UTC.
    expect(new Date(created.body.period_resets_at).getUTCDay()).toBe(1);
    const id = created.body.id;

    const patched = await call(
      PATCH,
      t.value.aliceKey,
      "PATCH",
      `/keys/${id}`,
      { rate_limits: { max_concurrent: 2, tokens_per_minute: null }, budget_period: "none" },
      { id },
    );
    expect(patched.body).toMatchObject({
      rate_limits: { requests_per_minute: 60, tokens_per_minute: null, max_concurrent: 2 },
      budget_period: "none",
      period_resets_at: null,
    });

    for (const [body, param] of [
      [{ rate_limits: { requests_per_minute: 0 } }, "rate_limits.requests_per_minute"],
      [{ budget_period: "hourly" }, "budget_period"],
      [{ ip_allowlist: ["300.1.1.1"] }, "ip_allowlist"],
      [{ alert_thresholds: [150] }, "alert_thresholds.0"],
      [{ allowed_models: [] }, "allowed_models"],
    ] as const) {
      const refused = await call(PATCH, t.value.aliceKey, "PATCH", `/keys/${id}`, body, { id });
      expect(refused.status, JSON.stringify(body)).toBe(422);
      expect(refused.body.error.param).toBe(param);
    }
    // Every bad entry of the allowlist is named in the 422, not only the first.
    const badRanges = await call(
      PATCH,
      t.value.aliceKey,
      "PATCH",
      `/keys/${id}`,
      { ip_allowlist: ["10.0.0.1", "10.0.0.300", "abc"] },
      { id },
    );
    expect(badRanges.body.error.message).toBe(
      "ip_allowlist: Entry 2 (“10.0.0.300”) and entry 3 (“abc”) are not IP addresses or CIDR ranges (like 203.0.113.0/24 or 2001:db8::/32).",
    );
  });

  it("pauses, resumes and rolls; the rolled secret is shown once and works on /v1", async () => {
    const { POST } = await import("@/app/api/v1/keys/route");
    const pause = (await import("@/app/api/v1/keys/[id]/pause/route")).POST;
    const resume = (await import("@/app/api/v1/keys/[id]/resume/route")).POST;
    const roll = (await import("@/app/api/v1/keys/[id]/roll/route")).POST;
    const { GET } = await import("@/app/api/v1/keys/[id]/route");
    const created = await call(POST, t.value.aliceKey, "POST", "/keys", { name: "to roll" });
    const id = created.body.id;
    expect(
      (await call(pause, t.value.aliceKey, "POST", `/keys/${id}/pause`, undefined, { id })).body,
    ).toMatchObject({ status: "paused", paused: true });
    expect(
      (await call(resume, t.value.aliceKey, "POST", `/keys/${id}/resume`, undefined, { id })).body,
    ).toMatchObject({ status: "active", paused: false });

    const rolled = await call(
      roll,
      t.value.aliceKey,
      "POST",
      `/keys/${id}/roll`,
      { grace_period_seconds: 86400 },
      { id },
    );
    expect(rolled.status).toBe(201);
    expect(rolled.body).toMatchObject({
      id,
      name: "to roll",
      key: expect.stringMatching(/^mb_live_/),
    });
    expect(rolled.body.display).toBe(`mb_live_…${rolled.body.key.slice(-4)}`);
    expect(Date.parse(rolled.body.previous_key_expires_at) - Date.now()).toBeGreaterThan(
      86_000_000,
    );
    const shown = await call(GET, t.value.aliceKey, "GET", `/keys/${id}`, undefined, { id });
    expect(shown.body).not.toHaveProperty("key");
    await expect(client(t.h.baseURL, rolled.body.key).models.list()).resolves.toBeDefined();
    await expect(client(t.h.baseURL, created.body.key).models.list()).resolves.toBeDefined();

    // Without a body, the grace is none.
    const again = await call(roll, t.value.aliceKey, "POST", `/keys/${id}/roll`, undefined, { id });
    expect(again.status).toBe(201);
    await expect(client(t.h.baseURL, rolled.body.key).models.list()).rejects.toMatchObject({
      status: 401,
      code: "key_rotated",
    });
  });

  it("another user's key is not found for pause, resume and roll", async () => {
    const { POST } = await import("@/app/api/v1/keys/route");
    const id = (await call(POST, t.value.aliceKey, "POST", "/keys", { name: "mine" })).body.id;
    for (const action of ["pause", "resume", "roll"] as const) {
      const handler = (await import(`@/app/api/v1/keys/[id]/${action}/route`)).POST as RouteHandler;
      const refused = await call(
        handler,
        t.value.bobKey,
        "POST",
        `/keys/${id}/${action}`,
        {},
        { id },
      );
      expect(refused.status).toBe(404);
    }
  });

  it("a paused Management key gets 403 key_paused; a rolled one's old secret 401 key_rotated", async () => {
    const { GET } = await import("@/app/api/v1/me/route");
    const pause = (await import("@/app/api/v1/keys/[id]/pause/route")).POST;
    const roll = (await import("@/app/api/v1/keys/[id]/roll/route")).POST;
    const second = await createKey(t.h.database, { userId: t.value.aliceId, type: "management" });
    const id = second.row.id;
    expect((await call(GET, second.key, "GET", "/me")).status).toBe(200);
    const rolled = await call(
      roll,
      t.value.aliceKey,
      "POST",
      `/keys/${id}/roll`,
      { grace_period_seconds: 0 },
      { id },
    );
    expect(rolled.body.key).toMatch(/^mb_mgmt_/);
    expect((await call(GET, second.key, "GET", "/me")).body.error.code).toBe("key_rotated");
    expect((await call(GET, rolled.body.key, "GET", "/me")).status).toBe(200);
    await call(pause, t.value.aliceKey, "POST", `/keys/${id}/pause`, undefined, { id });
    const paused = await call(GET, rolled.body.key, "GET", "/me");
    expect(paused.status).toBe(403);
    expect(paused.body.error.code).toBe("key_paused");
  });

  it("the OpenAPI document carries the new routes and fields", async () => {
    const { buildOpenApiDocument } = await import("@/lib/api/openapi");
    const { managementRouteModules } = await import("@/app/api/v1/openapi.json/route-modules");
    const doc = JSON.stringify(buildOpenApiDocument("http://localhost", managementRouteModules));
    for (const text of [
      "/keys/{id}/pause",
      "/keys/{id}/resume",
      "/keys/{id}/roll",
      "grace_period_seconds",
      "allowed_models",
      "period_resets_at",
      "ip_allowlist",
      "alert_thresholds",
    ]) {
      expect(doc).toContain(text);
    }
  });
});
