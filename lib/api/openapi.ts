import { z } from "zod";
import { errorEnvelope, uuidParam } from "../core/common-schemas";
import {
  createdKeyObject,
  createKeyBody,
  keyListObject,
  keyObject,
  keyUsageObject,
  keyUsageQuery,
  listKeysQuery,
  rollKeyBody,
  updateKeyBody,
} from "@/lib/keys/schemas";
import {
  addMemberBody,
  changeRoleBody,
  createTeamBody,
  meObject,
  memberListObject,
  memberInviteObject,
  memberObject,
  teamListObject,
  teamObject,
} from "@/lib/teams/schemas";
import { createModelInput, updateModelInput } from "@/lib/models/schemas";
import { connectionTestObject } from "@/lib/models/test-connection";
import { createDeploymentInput, updateDeploymentInput } from "@/lib/models/deployment-schemas";
import { usageObject, usageQueryDoc } from "@/lib/usage/schemas";
import {
  createdInviteObject,
  createInviteBody,
  inviteListObject,
  listInvitesQuery,
} from "@/lib/invites/schemas";
import { settingsObject, updateSettingsBody } from "@/lib/settings/schemas";
import { auditLogQuery, auditPageObject } from "@/lib/audit/schemas";
import {
  listRequestsQuery,
  requestDetailObject,
  requestListObject,
  teamPatchBody,
} from "@/lib/requests/schemas";
import {
  createdWebhookObject,
  createWebhookBody,
  deliveryListObject,
  deliveryObject,
  listWebhooksQuery,
  webhookListObject,
  webhookObject,
} from "@/lib/webhooks/schemas";

type Method = "get" | "post" | "patch" | "delete";

interface Operation {
  summary: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  response?: z.ZodType;
  status?: number;
}

/** Request schemas describe what a client may send (input side: numbers and strings for money). */
function jsonSchema(schema: z.ZodType, io: "input" | "output") {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
  }) as Record<string, unknown>;
  void _drop;
  return rest;
}

const errors = {
  "401": "No credential, or a bad, revoked or expired key",
  "403": "Not allowed (`forbidden`), or a Model Serving key (`wrong_key_type`)",
  "404": "Not found, or not visible to the caller",
  "409": "The account's cap of active keys (`key_limit_reached`), or a conflict",
  "422": "Invalid input; `param` names the field",
};

const paths: Record<string, Partial<Record<Method, Operation>>> = {
  "/me": {
    get: {
      summary: "The caller: user, teams and roles, and the key used if any",
      response: meObject,
    },
  },
  "/keys": {
    get: { summary: "Keys the caller may see", query: listKeysQuery, response: keyListObject },
    post: {
      summary: "Create a key; the response is the only place the full key appears",
      body: createKeyBody,
      response: createdKeyObject,
      status: 201,
    },
  },
  "/keys/{id}": {
    get: { summary: "One key", response: keyObject },
    patch: {
      summary:
        "Change name, spending limit, expiry, allowed models, rate limits, budget period, IP allowlist or alert thresholds (null removes them)",
      body: updateKeyBody,
      response: keyObject,
    },
  },
  "/keys/{id}/revoke": { post: { summary: "Revoke at once and for good", response: keyObject } },
  "/keys/{id}/pause": {
    post: {
      summary: "Pause: /v1 refuses the key (403 key_paused) until it is resumed",
      response: keyObject,
    },
  },
  "/keys/{id}/resume": { post: { summary: "Resume a paused key", response: keyObject } },
  "/keys/{id}/roll": {
    post: {
      summary:
        "A new secret for the same key, in this response only; the old one works for the grace period, then gets 401 key_rotated",
      body: rollKeyBody,
      response: createdKeyObject,
      status: 201,
    },
  },
  "/keys/{id}/usage": {
    get: {
      summary: "Requests, tokens, spend and refusals by UTC day",
      query: keyUsageQuery,
      response: keyUsageObject,
    },
  },
  "/teams": {
    get: { summary: "The caller's teams", response: teamListObject },
    post: {
      summary: "Create a team; the caller becomes its admin",
      body: createTeamBody,
      response: teamObject,
      status: 201,
    },
  },
  "/teams/{id}": {
    patch: {
      summary:
        "Turn payload capture on or off for a team's keys (platform admins); a key's own setting wins",
      body: teamPatchBody,
    },
  },
  "/teams/{id}/members": {
    get: { summary: "Members of a team the caller belongs to", response: memberListObject },
    post: {
      summary:
        "Add a member by email (team admins): an account joins at once, an unknown email gets a team invite; the answer is the same",
      body: addMemberBody,
      response: memberInviteObject,
      status: 201,
    },
  },
  "/usage": {
    get: {
      summary:
        "An owner's usage by day, key and model, and its balance (CSV of every request: /usage/export)",
      query: usageQueryDoc,
      response: usageObject,
    },
  },
  "/teams/{id}/members/{user_id}": {
    patch: {
      summary: "Change a member's role (team admins)",
      body: changeRoleBody,
      response: memberObject,
    },
    delete: {
      summary: "Remove a member (team admins, or yourself); a team keeps at least one admin",
      status: 204,
    },
  },
  "/models": {
    get: { summary: "Models (platform admins see every field; `api_key` is never returned)" },
    post: {
      summary: "Register a model (platform admins); `api_key` is write-only",
      body: createModelInput,
      status: 201,
    },
  },
  "/invites": {
    get: {
      summary:
        "Pending invites: every one for platform admins, a team's (`team_id`) for its admins",
      query: listInvitesQuery,
      response: inviteListObject,
    },
    post: {
      summary:
        "Invite an email to the install (platform admins) or to a team (its admins); the link is in this response only",
      body: createInviteBody,
      response: createdInviteObject,
      status: 201,
    },
  },
  "/invites/{id}/revoke": {
    post: { summary: "Revoke a pending invite: its link stops working", status: 204 },
  },
  "/settings": {
    get: {
      summary: "Sign-up mode and defaults for new accounts (platform admins)",
      response: settingsObject,
    },
    patch: {
      summary: "Change the sign-up mode or the defaults for new accounts (platform admins)",
      body: updateSettingsBody,
      response: settingsObject,
    },
  },
  "/audit-log": {
    get: {
      summary:
        "Audit entries the caller may see, newest first (platform admins: everything); `next_cursor` pages on",
      query: auditLogQuery,
      response: auditPageObject,
    },
  },
  "/requests": {
    get: {
      summary:
        "Recorded /v1 requests the caller may see, newest first (platform admins: everything), filtered on the server; `next_cursor` pages on",
      query: listRequestsQuery,
      response: requestListObject,
    },
  },
  "/requests/{id}": {
    get: {
      summary:
        "One request by its id or `x-request-id`: models asked and answering, attempts, timings, tokens by kind, cost and how it was derived, client, and the payload when captured",
      response: requestDetailObject,
    },
  },
  "/webhooks": {
    get: {
      summary: "The caller's webhooks, or a team's (`owner=<team_id>`, its admins)",
      query: listWebhooksQuery,
      response: webhookListObject,
    },
    post: {
      summary:
        "Add a webhook (personal, or a team's with `team_id`); the signing secret is in this response only",
      body: createWebhookBody,
      response: createdWebhookObject,
      status: 201,
    },
  },
  "/webhooks/{id}": {
    get: { summary: "One webhook", response: webhookObject },
    delete: { summary: "Delete a webhook and its delivery history", status: 204 },
  },
  "/webhooks/{id}/test": {
    post: {
      summary: "Send a signed `webhook.test` event now; answers with the delivery's outcome",
      response: deliveryObject,
    },
  },
  "/webhooks/{id}/deliveries": {
    get: { summary: "The webhook's 20 most recent deliveries", response: deliveryListObject },
  },
  "/models/{id}": {
    patch: { summary: "Change a model (platform admins)", body: updateModelInput },
  },
  "/models/{id}/test": {
    post: {
      summary:
        "Check that the model's upstream answers with its stored credential (platform admins)",
      response: connectionTestObject,
    },
  },
  "/models/{id}/deployments": {
    get: { summary: "The model's deployments with their state (platform admins)" },
    post: {
      summary: "Add a deployment to a model (platform admins); `api_key` is write-only",
      body: createDeploymentInput,
      status: 201,
    },
  },
  "/models/{id}/deployments/{deployment_id}": {
    patch: { summary: "Change a deployment (platform admins)", body: updateDeploymentInput },
    delete: { summary: "Remove a deployment; a model keeps at least one" },
  },
  "/models/{id}/deployments/{deployment_id}/test": {
    post: {
      summary: "Check that the deployment's server answers with its stored credential",
      response: connectionTestObject,
    },
  },
  "/models/{id}/health": {
    get: {
      summary:
        "Each deployment's state, success rate and p50 time to first byte over the last 15 minutes",
    },
  },
};

/** The OpenAPI 3.1 document for /api/v1, assembled from the same zod schemas the routes parse with. */
export function buildOpenApiDocument(serverUrl: string) {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [path, operations] of Object.entries(paths)) {
    out[path] = {};
    for (const [method, op] of Object.entries(operations) as [Method, Operation][]) {
      const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
        name,
        in: "path",
        required: true,
        schema: jsonSchema(uuidParam, "input"),
      }));
      const queryParams = op.query
        ? Object.entries(op.query.shape).map(([name, schema]) => ({
            name,
            in: "query",
            required: !(schema as z.ZodType).safeParse(undefined).success,
            schema: jsonSchema(schema as z.ZodType, "input"),
          }))
        : [];
      const status = String(op.status ?? 200);
      out[path][method] = {
        summary: op.summary,
        parameters: [...pathParams, ...queryParams],
        ...(op.body
          ? {
              requestBody: {
                required: true,
                content: { "application/json": { schema: jsonSchema(op.body, "input") } },
              },
            }
          : {}),
        responses: {
          [status]: op.response
            ? {
                description: "OK",
                content: { "application/json": { schema: jsonSchema(op.response, "output") } },
              }
            : { description: status === "204" ? "No content" : "OK" },
          ...Object.fromEntries(
            Object.entries(errors).map(([code, description]) => [
              code,
              { $ref: `#/components/responses/Error${code}`, description },
            ]),
          ),
        },
      };
    }
  }
  const errorSchema = jsonSchema(errorEnvelope, "output");
  return {
    openapi: "3.1.0",
    info: { title: "ModelBridge management API", version: "1" },
    servers: [{ url: `${serverUrl}/api/v1` }],
    security: [{ managementKey: [] }, { session: [] }],
    paths: out,
    components: {
      securitySchemes: {
        managementKey: {
          type: "http",
          scheme: "bearer",
          description: "A Management key, mb_mgmt_…",
        },
        session: { type: "apiKey", in: "cookie", name: "authjs.session-token" },
      },
      responses: Object.fromEntries(
        Object.entries(errors).map(([code, description]) => [
          `Error${code}`,
          { description, content: { "application/json": { schema: errorSchema } } },
        ]),
      ),
    },
  };
}
