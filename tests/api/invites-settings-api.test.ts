import { describe, expect, it, vi } from "vitest";
import { setProcessDatabase } from "@/db/client";
import { callRoute, type RouteHandler } from "../helpers/call-route";
import { harnessForFile, managementKeys } from "../helpers/harness";

/** Invites and sign-up settings over `/api/v1` with Management keys: platform admins only, links shown once. */
vi.mock("@/lib/auth", () => ({ auth: async () => null }));

const t = harnessForFile(async (h) => {
  setProcessDatabase(h.database);
  return managementKeys(h.database);
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

describe("/api/v1/settings", () => {
  it("platform admins read and change the sign-up mode and the defaults for new accounts; others get 403", async () => {
    const { GET, PATCH } = await import("@/app/api/v1/settings/route");
    expect((await call(GET, t.value.adminKey, "GET", "/settings")).body).toMatchObject({
      signup_mode: "invite",
      signup_mode_source: "settings",
      new_account_included_monthly: "0.00",
      new_account_overage_enabled: true,
    });
    const changed = await call(PATCH, t.value.adminKey, "PATCH", "/settings", {
      signup_mode: "closed",
      new_account_included_monthly: "12.50",
      new_account_overage_enabled: false,
    });
    expect(changed.body).toMatchObject({
      signup_mode: "closed",
      new_account_included_monthly: "12.50",
      new_account_overage_enabled: false,
    });
    const invalid = await call(PATCH, t.value.adminKey, "PATCH", "/settings", {
      signup_mode: "everyone",
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.param).toBe("signup_mode");
    const refused = await call(PATCH, t.value.userKey, "PATCH", "/settings", {
      signup_mode: "open",
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      "Only platform admins can change the install's settings.",
    );
  });
});

describe("/api/v1/invites", () => {
  it("creates an invite whose link appears only in the create response, lists it, and revokes it", async () => {
    const { GET, POST } = await import("@/app/api/v1/invites/route");
    const revoke = (await import("@/app/api/v1/invites/[id]/revoke/route")).POST;
    const created = await call(POST, t.value.adminKey, "POST", "/invites", {
      email: "New@Example.com",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: "new@example.com",
      team_id: null,
      invite_url: expect.stringMatching(/\/signup\?invite=[\w-]{43}$/),
    });
    const listed = await call(GET, t.value.adminKey, "GET", "/invites");
    expect(listed.body.data).toEqual([
      expect.objectContaining({ id: created.body.id, email: "new@example.com" }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain("invite=");

    expect(
      (await call(POST, t.value.userKey, "POST", "/invites", { email: "friend@example.com" }))
        .status,
    ).toBe(403);
    expect(
      (
        await call(
          revoke,
          t.value.userKey,
          "POST",
          `/invites/${created.body.id}/revoke`,
          undefined,
          {
            id: created.body.id,
          },
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await call(
          revoke,
          t.value.adminKey,
          "POST",
          `/invites/${created.body.id}/revoke`,
          undefined,
          {
            id: created.body.id,
          },
        )
      ).status,
    ).toBe(204);
    expect((await call(GET, t.value.adminKey, "GET", "/invites")).body.data).toEqual([]);
  });
});
