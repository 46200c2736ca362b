import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { setProcessDatabase, type Database } from "@/db/client";
import { createKey } from "@/lib/keys/create-key";
import type { Actor } from "@/lib/core/actor";
import { makeActor, letEveryoneMakeTeams, allowPrivateWebhooks } from "@/tests/helpers/actors";
import { openTestDatabase } from "@/tests/helpers/database";
import { callRoute, type RouteHandler } from "@/tests/helpers/call-route";
import { startReceiver } from "./receiver";

vi.mock("@/lib/auth", () => ({ auth: async () => null }));

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
  await allowPrivateWebhooks(database.db);
  await letEveryoneMakeTeams(database.db);
  setProcessDatabase(database);
});
afterAll(async () => {
  await database?.close();
});

async function managementKey(actor: Actor): Promise<string> {
  return (
    await createKey(database.db, actor, {
      name: "ci",
      type: "management",
      teamId: null,
      spendingLimit: null,
      expiresAt: null,
    })
  ).rawKey;
}

// Every call here is to /api/v1 with a Management key and, when there is one, a JSON body.
const call = (
  handler: RouteHandler,
  key: string,
  method: string,
  path: string,
  json?: unknown,
  params: Record<string, string> = {},
) => callRoute({ handler, key, method, path: `/api/v1${path}`, json, params });

describe("/api/v1/webhooks", () => {
  it("creates (secret once), lists, tests, shows deliveries and deletes; strangers get 404", async () => {
    const routes = await import("@/app/api/v1/webhooks/route");
    const one = await import("@/app/api/v1/webhooks/[id]/route");
    const test = (await import("@/app/api/v1/webhooks/[id]/test/route")).POST;
    const deliveries = (await import("@/app/api/v1/webhooks/[id]/deliveries/route")).GET;
    const ada = await managementKey(await makeActor(database.db, "Ada"));
    const stranger = await managementKey(await makeActor(database.db, "Eve"));
    const receiver = await startReceiver([200]);
    try {
      const refused = await call(routes.POST, ada, "POST", "/webhooks", {
        url: "http://metadata.google.internal/x",
      });
      expect(refused.status).toBe(422);
      expect(refused.body.error.param).toBe("url");

      const created = await call(routes.POST, ada, "POST", "/webhooks", {
        url: receiver.url,
        description: "ops",
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        url: receiver.url,
        description: "ops",
        team_id: null,
        secret: expect.stringMatching(/^whsec_/),
      });
      const id = created.body.id as string;

      const listed = await call(routes.GET, ada, "GET", "/webhooks");
      expect(listed.body.data).toEqual([
        {
          id,
          url: receiver.url,
          description: "ops",
          team_id: null,
          created_at: expect.any(String),
          disabled_at: null,
        },
      ]);
      expect((await call(routes.GET, stranger, "GET", "/webhooks")).body.data).toEqual([]);

      const tested = await call(test, ada, "POST", `/webhooks/${id}/test`, undefined, { id });
      expect(tested.body).toMatchObject({
        event: "webhook.test",
        status: "delivered",
        attempts: 1,
        response_status: 200,
        next_attempt_at: null,
      });
      const history = await call(deliveries, ada, "GET", `/webhooks/${id}/deliveries`, undefined, {
        id,
      });
      expect(history.body.data.map((d: { id: string }) => d.id)).toEqual([tested.body.id]);

      expect(
        (await call(test, stranger, "POST", `/webhooks/${id}/test`, undefined, { id })).status,
      ).toBe(404);
      expect(
        (await call(one.DELETE, stranger, "DELETE", `/webhooks/${id}`, undefined, { id })).status,
      ).toBe(404);
      expect(
        (await call(one.DELETE, ada, "DELETE", `/webhooks/${id}`, undefined, { id })).status,
      ).toBe(204);
      expect((await call(one.GET, ada, "GET", `/webhooks/${id}`, undefined, { id })).status).toBe(
        404,
      );
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });
});
