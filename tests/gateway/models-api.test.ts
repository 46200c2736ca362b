import { describe, expect, it, vi } from "vitest";
import { setProcessDatabase } from "@/db/client";
import { decryptCredential } from "@/lib/models/credential-crypto";
import { callRoute, type RouteHandler } from "../helpers/call-route";
import { harnessForFile, managementKeys } from "../helpers/harness";

/**
 * The admin API for models, called through its App Router handlers with a Management key.
 * next-auth cannot load outside Next (it imports `next/server` without an extension); these
 * requests carry a Management key and never reach the session, so only that import is stubbed.
 */
vi.mock("@/lib/auth", () => ({ auth: async () => null }));
const t = harnessForFile(async (h) => {
  setProcessDatabase(h.database);
  return managementKeys(h.database);
});

// `path` is "" for the collection or "/<id>" for one model.
const call = async (method: string, path: string, key: string, json?: unknown) => {
  const id = path.slice(1);
  const route = id
    ? await import("@/app/api/v1/models/[id]/route")
    : await import("@/app/api/v1/models/route");
  const handler = (route as unknown as Record<string, RouteHandler>)[method];
  const params: Record<string, string> = id ? { id } : {};
  return callRoute({ handler, method, path: `/api/v1/models${path}`, params, key, json });
};

describe("/api/v1/models", () => {
  it("admins register a model; the credential is write-only and encrypted at rest", async () => {
    const created = await call("POST", "", t.value.adminKey, {
      name: "acme/llama",
      base_url: `${t.h.upstream.url}/`,
      upstream_model: "json",
      api_key: "sk-upstream-very-secret",
      input_price_per_million: "0.50",
      output_price_per_million: 1.5,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "acme/llama",
      base_url: t.h.upstream.url,
      upstream_model: "json",
      has_api_key: true,
      input_price_per_million: "0.50",
      output_price_per_million: "1.50",
      enabled: true,
    });
    expect(JSON.stringify(created.body)).not.toContain("sk-upstream-very-secret");
    const { models } = await import("@/db/schema");
    const { eq } = await import("drizzle-orm");
    const [row] = await t.h.database.db.select().from(models).where(eq(models.id, created.body.id));
    expect(row.apiKeyEncrypted).not.toContain("sk-upstream-very-secret");
    expect(decryptCredential(row.apiKeyEncrypted!)).toBe("sk-upstream-very-secret");

    const list = await call("GET", "", t.value.adminKey);
    expect(list.body.data.map((m: { name: string }) => m.name)).toEqual(
      expect.arrayContaining(["acme/llama", "modelbridge/echo"]),
    );
    expect(JSON.stringify(list.body)).not.toContain("sk-upstream-very-secret");
  });

  it("PATCH changes price and enabled; a duplicate name is a 422 naming the field", async () => {
    const { json: echo } = await call("GET", "", t.value.adminKey).then((r) => ({
      json: r.body.data.find((m: { name: string }) => m.name === "modelbridge/echo"),
    }));
    const patched = await call("PATCH", `/${echo.id}`, t.value.adminKey, {
      output_price_per_million: "3",
      enabled: false,
    });
    expect(patched.body).toMatchObject({
      output_price_per_million: "3.00",
      enabled: false,
      builtin: true,
    });
    await call("PATCH", `/${echo.id}`, t.value.adminKey, { enabled: true });

    const duplicate = await call("POST", "", t.value.adminKey, {
      name: "modelbridge/echo",
      base_url: "http://x.test/v1",
      input_price_per_million: 1,
      output_price_per_million: 1,
    });
    expect(duplicate.status).toBe(422);
    expect(duplicate.body.error).toMatchObject({ code: "invalid_request", param: "name" });

    const badPrice = await call("POST", "", t.value.adminKey, {
      name: "x/y",
      base_url: "http://x.test/v1",
      input_price_per_million: "-1",
      output_price_per_million: 1,
    });
    expect(badPrice.status).toBe(422);
  });

  it("a model carries its provider, kind and cached-input price; the built-in model's kind is fixed", async () => {
    const created = await call("POST", "", t.value.adminKey, {
      name: "acme/embed",
      base_url: t.h.upstream.url,
      kind: "embedding",
      input_price_per_million: "0.10",
      output_price_per_million: "0",
    });
    expect(created.status).toBe(201);
    // Unset: OpenAI-compatible, not native Responses, cached input priced as input.
    expect(created.body).toMatchObject({
      kind: "embedding",
      provider: "openai",
      native_responses: false,
      cached_input_price_per_million: null,
    });

    const patched = await call("PATCH", `/${created.body.id}`, t.value.adminKey, {
      cached_input_price_per_million: "0.05",
      native_responses: true,
    });
    expect(patched.body).toMatchObject({
      cached_input_price_per_million: "0.05",
      native_responses: true,
    });
    const cleared = await call("PATCH", `/${created.body.id}`, t.value.adminKey, {
      cached_input_price_per_million: null,
    });
    expect(cleared.body.cached_input_price_per_million).toBeNull();

    const badKind = await call("POST", "", t.value.adminKey, {
      name: "x/z",
      base_url: "http://x.test/v1",
      kind: "image",
      input_price_per_million: 1,
      output_price_per_million: 1,
    });
    expect(badKind.status).toBe(422);
    expect(badKind.body.error.param).toBe("kind");

    const echo = (await call("GET", "", t.value.adminKey)).body.data.find(
      (m: { name: string }) => m.name === "modelbridge/echo",
    );
    expect(echo).toMatchObject({ kind: "chat", provider: "openai" });
    const changeEcho = await call("PATCH", `/${echo.id}`, t.value.adminKey, { kind: "embedding" });
    expect(changeEcho.status).toBe(422);
    expect(changeEcho.body.error.param).toBe("kind");
  });

  it("non-admins get 403 forbidden", async () => {
    const response = await call("GET", "", t.value.userKey);
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe("forbidden");
  });
});
