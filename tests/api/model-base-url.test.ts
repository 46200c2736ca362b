import { afterEach, describe, expect, it, vi } from "vitest";
import { setProcessDatabase } from "@/db/client";
import { resetEnvCache } from "@/lib/env";
import { callRoute } from "../helpers/call-route";
import { createKey, createUser, harnessForFile } from "../helpers/harness";

/**
 * Registering a model whose base URL is the cloud metadata service (or any link-local
 * address) through `/api/v1/models` is a 422 naming `base_url`, unless the admin setting
 * ALLOW_LINK_LOCAL_UPSTREAMS allows it; loopback and private addresses are fine by default.
 */
vi.mock("@/lib/auth", () => ({ auth: async () => null }));

const t = harnessForFile(async (h) => {
  setProcessDatabase(h.database);
  const { key } = await createKey(h.database, {
    userId: (await createUser(h.database, "admin")).id,
    type: "management",
  });
  return { adminKey: key };
});

afterEach(() => {
  delete process.env.ALLOW_LINK_LOCAL_UPSTREAMS;
  resetEnvCache();
});

let counter = 0;
async function register(baseUrl: string, path = "") {
  const { POST } = await import("@/app/api/v1/models/route");
  const { PATCH } = await import("@/app/api/v1/models/[id]/route");
  const body = path
    ? { base_url: baseUrl }
    : {
        name: `probe/${++counter}`,
        base_url: baseUrl,
        input_price_per_million: "1",
        output_price_per_million: "1",
      };
  return callRoute({
    handler: path ? PATCH : POST,
    method: path ? "PATCH" : "POST",
    path: `/api/v1/models${path}`,
    params: path ? { id: path.slice(1) } : {},
    key: t.value.adminKey,
    json: body,
  });
}

describe("model base URLs on the admin API", () => {
  it("refuses the metadata service and link-local addresses with 422 on base_url", async () => {
    for (const url of [
      "http://169.254.169.254/latest/meta-data",
      "http://metadata.google.internal/",
      "http://[fe80::1]:8000/v1",
    ]) {
      const refused = await register(url);
      expect(refused.status, url).toBe(422);
      expect(refused.body.error).toMatchObject({ code: "invalid_request", param: "base_url" });
      expect(refused.body.error.message).toMatch(/link-local|metadata/);
    }
  });

  it("allows loopback and private addresses, and refuses changing a model to a metadata address", async () => {
    const created = await register("http://127.0.0.1:8000/v1");
    expect(created.status).toBe(201);
    expect((await register("http://10.1.2.3:8000/v1")).status).toBe(201);
    const patched = await register("http://169.254.169.254/", `/${created.body.id}`);
    expect(patched.status).toBe(422);
    expect(patched.body.error.param).toBe("base_url");
  });

  it("allows link-local addresses when ALLOW_LINK_LOCAL_UPSTREAMS=1", async () => {
    process.env.ALLOW_LINK_LOCAL_UPSTREAMS = "1";
    resetEnvCache();
    expect((await register("http://169.254.10.10:8000/v1")).status).toBe(201);
  });
});
