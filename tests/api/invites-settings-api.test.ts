import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { setProcessDatabase } from "@/db/client";
import { startHarness, type Harness, managementKeys } from "../helpers/harness";

/** Invites and sign-up settings over `/api/v1` with Management keys: platform admins only, links shown once. */
vi.mock("@/lib/auth", () => ({ auth: async () => null }));

let h: Harness;
let adminKey: string;
let userKey: string;

beforeAll(async () => {
  h = await startHarness();
  setProcessDatabase(h.database);
  ({ adminKey, userKey } = await managementKeys(h.database));
});
afterAll(async () => {
  await h?.close();
});

type Handler = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response>;
async function call(
  handler: Handler,
  key: string,
  method: string,
  path: string,
  body?: unknown,
  params: Record<string, string> = {},
) {
  const request = new Request(`http://localhost/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const response = await handler(request, { params: Promise.resolve(params) });
  return {
    status: response.status,
    json: response.status === 204 ? null : ((await response.json()) as Record<string, any>),
  };
}

describe("/api/v1/settings", () => {
  it("platform admins read and change the sign-up mode and the defaults for new accounts; others get 403", async () => {
    const { GET, PATCH } = await import("@/app/api/v1/settings/route");
    expect((await call(GET, adminKey, "GET", "/settings")).json).toMatchObject({
      signup_mode: "invite",
      signup_mode_source: "settings",
      new_account_included_monthly: "0.00",
      new_account_overage_enabled: true,
    });
    const changed = await call(PATCH, adminKey, "PATCH", "/settings", {
      signup_mode: "closed",
      new_account_included_monthly: "12.50",
      new_account_overage_enabled: false,
    });
    expect(changed.json).toMatchObject({
      signup_mode: "closed",
      new_account_included_monthly: "12.50",
      new_account_overage_enabled: false,
    });
    const invalid = await call(PATCH, adminKey, "PATCH", "/settings", { signup_mode: "everyone" });
    expect(invalid.status).toBe(422);
    expect(invalid.json!.error.param).toBe("signup_mode");
    const refused = await call(PATCH, userKey, "PATCH", "/settings", { signup_mode: "open" });
    expect(refused.status).toBe(403);
    expect(refused.json!.error.message).toBe(
      "Only platform admins can change the install's settings.",
    );
  });
});

describe("/api/v1/invites", () => {
  it("creates an invite whose link appears only in the create response, lists it, and revokes it", async () => {
    const { GET, POST } = await import("@/app/api/v1/invites/route");
    const revoke = (await import("@/app/api/v1/invites/[id]/revoke/route")).POST;
    const created = await call(POST, adminKey, "POST", "/invites", { email: "New@Example.com" });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      email: "new@example.com",
      team_id: null,
      invite_url: expect.stringMatching(/\/signup\?invite=[\w-]{43}$/),
    });
    const listed = await call(GET, adminKey, "GET", "/invites");
    expect(listed.json!.data).toEqual([
      expect.objectContaining({ id: created.json!.id, email: "new@example.com" }),
    ]);
    expect(JSON.stringify(listed.json)).not.toContain("invite=");

    expect(
      (await call(POST, userKey, "POST", "/invites", { email: "friend@example.com" })).status,
    ).toBe(403);
    expect(
      (
        await call(revoke, userKey, "POST", `/invites/${created.json!.id}/revoke`, undefined, {
          id: created.json!.id,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call(revoke, adminKey, "POST", `/invites/${created.json!.id}/revoke`, undefined, {
          id: created.json!.id,
        })
      ).status,
    ).toBe(204);
    expect((await call(GET, adminKey, "GET", "/invites")).json!.data).toEqual([]);
  });
});
