import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./openapi";

describe("OpenAPI document", () => {
  it("describes every management endpoint from the zod schemas", () => {
    const doc = buildOpenApiDocument("https://gw.example.test");
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
});
