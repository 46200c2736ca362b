import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import Redis from "ioredis";
import {
  deploymentBreakers,
  modelDeployments,
  models,
  webhookDeliveries,
  webhooks,
} from "@/db/schema";
import { createGatewayRuntime, type GatewayRuntime } from "@/lib/gateway/entry/runtime";
import { encryptCredential } from "@/lib/models/credential-crypto";
import { createModel } from "@/lib/models/service";
import { createModelInput } from "@/lib/models/schemas";
import { client, createKey, createUser, startHarness, type Harness } from "../helpers/harness";

/**
 * The breakers shared through Redis (REDIS_URL set), through the gateway: two runtimes on
 * one database and one Redis, as two processes would be. A deployment the first saw fail
 * gets no traffic from the second; once its cooldown is over one request probes it (one
 * upstream call for three requests at once, from both); the admins' webhooks hear the
 * opening and the recovery once each. routing-runtimes.test.ts is the same on the
 * database's breaker store (no Redis).
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
/** Its own upstream model id: the fake upstream counts calls per id. */
const PRIMARY = "fault:down-for-3000:rt-redis";

let h: Harness;
const runtimes: GatewayRuntime[] = [];
const servers: http.Server[] = [];
const urls: string[] = [];
let key = "";

beforeAll(async () => {
  h = await startHarness();
  for (let i = 0; i < 2; i++) {
    const runtime = await createGatewayRuntime(h.database, {
      log: () => undefined,
      redisUrl: REDIS_URL,
    });
    const server = http.createServer((req, res) => runtime.handleNode(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    runtimes.push(runtime);
    servers.push(server);
    urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`);
  }
  const admin = await createUser(h.database, "admin");
  await h.database.db.insert(webhooks).values({
    userId: admin.id,
    url: "http://127.0.0.1:9/hook",
    secretCiphertext: encryptCredential("whsec_test"),
    createdBy: admin.id,
  });
  for (const [name, upstream, fallbacks] of [
    ["rtr-fb", "fault:ok:rt-redis", []],
    ["rtr-primary", PRIMARY, ["rtr-fb"]],
  ] as const)
    await createModel(
      h.database,
      createModelInput.parse({
        name,
        base_url: h.upstream.url,
        upstream_model: upstream,
        input_price_per_million: 1,
        output_price_per_million: 2,
        fallbacks,
      }),
      admin.id,
    );
  key = (await createKey(h.database, { userId: (await createUser(h.database)).id })).key;
}, 120_000);

afterAll(async () => {
  for (const server of servers) server.close();
  for (const runtime of runtimes) await runtime.shutdown();
  await h?.close();
});

const ask = async (baseURL: string) =>
  (
    await client(baseURL, key).chat.completions.create({
      model: "rtr-primary",
      messages: [{ role: "user", content: "hi" }],
    })
  ).model;

const primaryHits = async () =>
  ((await (await fetch(`${h.upstream.url}/_fake/seen`)).json()) as Record<string, number[]>)[
    PRIMARY
  ] ?? [];

describe("breakers shared through Redis by two runtimes", () => {
  it("opened by one, no traffic from the other; one probe recovers it; the webhooks hear both once", async () => {
    const [first, second] = urls;
    // Three failures in a row open the breaker (each request is answered by the fallback).
    for (let i = 0; i < 3; i++) expect(await ask(first)).toBe("rtr-fb");
    expect(await primaryHits()).toHaveLength(3);
    // The second runtime reads the opening from Redis: the primary sees nothing more.
    for (let i = 0; i < 4; i++) expect(await ask(second)).toBe("rtr-fb");
    expect(await primaryHits()).toHaveLength(3);

    // Healthy again after 3 s; the 5 s cooldown ends; one probe (from either) closes it.
    await new Promise((r) => setTimeout(r, 5_200));
    const answers = await Promise.all([ask(first), ask(second), ask(first)]);
    expect(answers).toContain("rtr-primary");
    expect(await primaryHits()).toHaveLength(4);
    // Closed for both: the next requests go to the primary from either runtime.
    expect(await ask(second)).toBe("rtr-primary");
    expect(await ask(first)).toBe("rtr-primary");

    for (const runtime of runtimes) await runtime.flush();
    const opened = await h.database.db
      .select({ payload: webhookDeliveries.payload })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.event, "deployment.unhealthy"));
    expect(opened).toHaveLength(1);
    expect(opened[0].payload).toMatchObject({
      model: { name: "rtr-primary" },
      state: "cooling_down",
    });
    const recovered = await h.database.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.event, "deployment.recovered"));
    expect(recovered).toHaveLength(1);

    // The state went through Redis (mb:br:<deployment id>), not the database's breaker table.
    const [primary] = await h.database.db
      .select({ id: modelDeployments.id })
      .from(modelDeployments)
      .innerJoin(models, eq(models.id, modelDeployments.modelId))
      .where(eq(models.name, "rtr-primary"));
    const redis = new Redis(REDIS_URL);
    try {
      const state = JSON.parse((await redis.get(`mb:br:${primary.id}`)) ?? "null") as {
        failures: number;
        openUntil: number | null;
      } | null;
      expect(state).toMatchObject({ failures: 0, openUntil: null });
    } finally {
      redis.disconnect();
    }
    const inDatabase = await h.database.db
      .select()
      .from(deploymentBreakers)
      .where(eq(deploymentBreakers.deploymentId, primary.id));
    expect(inDatabase).toHaveLength(0);
  }, 60_000);
});
