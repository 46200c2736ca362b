import { describe, expect, it, vi } from "vitest";
import { managementRouteModules } from "@/app/api/v1/openapi.json/route-modules";
import { buildOpenApiDocument } from "./openapi";

// The route modules reach next-auth through the session check; nothing here signs in.
vi.mock("@/lib/auth", () => ({ auth: async () => null }));

describe("OpenAPI document", () => {
  const doc = buildOpenApiDocument("https://gw.example.test", managementRouteModules);

  it("describes every management endpoint from the route modules' zod schemas", () => {
    expect(doc.servers[0].url).toBe("https://gw.example.test/api/v1");
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/keys",
        "/keys/{id}",
        "/keys/{id}/revoke",
        "/keys/{id}/pause",
        "/keys/{id}/resume",
        "/keys/{id}/roll",
        "/keys/{id}/usage",
        "/me",
        "/teams",
        "/teams/{id}/members",
        "/teams/{id}/members/{user_id}",
        "/usage",
        "/models",
        "/models/{id}",
        "/models/{id}/test",
        "/models/{id}/deployments",
        "/models/{id}/deployments/{deployment_id}",
        "/models/{id}/deployments/{deployment_id}/test",
        "/models/{id}/health",
        "/invites",
        "/invites/{id}/revoke",
        "/settings",
        "/audit-log",
        "/requests",
        "/teams/{id}",
        "/requests/{id}",
        "/webhooks",
        "/webhooks/{id}",
        "/webhooks/{id}/test",
        "/webhooks/{id}/deliveries",
      ].sort(),
    );
    const create = doc.paths["/keys"].post as {
      requestBody: {
        content: {
          "application/json": {
            schema: { properties: Record<string, unknown>; required: string[] };
          };
        };
      };
    };
    const schema = create.requestBody.content["application/json"].schema;
    expect(Object.keys(schema.properties)).toEqual([
      "name",
      "type",
      "team_id",
      "spending_limit",
      "expires_at",
      "allowed_models",
      "rate_limits",
      "budget_period",
      "ip_allowlist",
      "alert_thresholds",
    ]);
    expect(schema.required).toEqual(["name"]);
    expect(schema.properties.name).toMatchObject({ type: "string", maxLength: 64 });
    const created = doc.paths["/keys"].post as {
      responses: Record<
        string,
        { content: { "application/json": { schema: { properties: Record<string, unknown> } } } }
      >;
    };
    expect(
      Object.keys(created.responses["201"].content["application/json"].schema.properties),
    ).toContain("key");
    // Money is accepted as a string or a number on input.
    const limit = schema.properties.spending_limit as { anyOf: unknown[] };
    expect(JSON.stringify(limit)).toContain('"number"');
    const register = doc.paths["/models"].post as {
      requestBody: {
        content: { "application/json": { schema: { properties: Record<string, unknown> } } };
      };
    };
    expect(Object.keys(register.requestBody.content["application/json"].schema.properties)).toEqual(
      expect.arrayContaining(["name", "base_url", "api_key"]),
    );
  });

  it("gives the error envelope's code as the closed vocabulary", () => {
    const envelope = doc.components.schemas.Error as {
      properties: { error: { properties: { code: { type: string; enum: string[] } } } };
    };
    const code = envelope.properties.error.properties.code;
    expect(code.type).toBe("string");
    expect(code.enum).toEqual(
      expect.arrayContaining(["key_limit_reached", "not_found", "invalid_api_key"]),
    );
  });

  it("lists each operation's error statuses with the codes its route declares", () => {
    type Responses = Record<
      string,
      { description: string; content: { "application/json": { schema: { $ref: string } } } }
    >;
    const responsesOf = (path: string, method: string) =>
      (doc.paths[path][method] as { responses: Responses }).responses;

    const createKey = responsesOf("/keys", "post");
    expect(createKey["409"].description).toContain("`key_limit_reached`");
    expect(createKey["409"].content["application/json"].schema.$ref).toBe(
      "#/components/schemas/Error",
    );
    // What every route may answer, and what its body implies.
    expect(createKey["401"].description).toContain("`missing_api_key`");
    expect(Object.keys(createKey)).toEqual(
      expect.arrayContaining(["201", "400", "401", "403", "404", "409", "413", "422", "429"]),
    );
    // A route that declares no conflict lists none, and a GET without a body no 413.
    expect(responsesOf("/me", "get")["409"]).toBeUndefined();
    expect(responsesOf("/keys/{id}", "get")["413"]).toBeUndefined();
    expect(responsesOf("/keys/{id}", "get")["404"].description).toContain("`not_found`");
  });
});
