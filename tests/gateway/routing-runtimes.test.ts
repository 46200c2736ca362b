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
 * Two gateway runtimes on one database (two processes, as far as the gateway can tell; on
 * Postgres e2e/api/routing-two-processes.spec.ts runs two real ones), sharing breakers
 * through the database's store, then through Redis (REDIS_URL set): a deployment the first
 * saw fail gets no traffic from the second; once its cooldown is over three requests at once,
 * from both, make one probe; a breaker that opens and one that closes again reach the
 * platform admins' webhooks once each, as deployment.unhealthy and .recovered.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

let h: Harness;
let adminId = "";
let key = "";
const runtimes: GatewayRuntime[] = [];
const servers: http.Server[] = [];

beforeAll(async () => {
  h = await startHarness();
  const admin = await createUser(h.database, "admin");
  adminId = admin.id;
  await h.database.db.insert(webhooks).values({
    userId: admin.id,
    url: "http://127.0.0.1:9/hook",
    secretCiphertext: encryptCredential("whsec_test"),
    createdBy: admin.id,
  });
  key = (await createKey(h.database, { userId: (await createUser(h.database)).id })).key;
}, 120_000);

afterAll(async () => {
  for (const server of servers) server.close();
  for (const runtime of runtimes) await runtime.shutdown();
  await h?.close();
});

/** A runtime of its own on the harness's database, served on a port; its /v1 base URL. */
async function startRuntime(redisUrl: string | null): Promise<string> {
  const runtime = await createGatewayRuntime(h.database, { log: () => undefined, redisUrl });
  const server = http.createServer((req, res) => runtime.handleNode(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  runtimes.push(runtime);
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

const deliveries = async (event: string, model: string) =>
  (
    await h.database.db
      .select({ payload: webhookDeliveries.payload })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.event, event))
  ).filter((d) => (d.payload as { model?: { name?: string } }).model?.name === model);

describe.each([
  { store: "the database", prefix: "rt", redisUrl: null },
  { store: "Redis", prefix: "rtr", redisUrl: REDIS_URL },
])("breakers shared by two runtimes through $store", ({ prefix, redisUrl }) => {
  const primaryModel = `${prefix}-primary`;
  /** Its own upstream model id: the fake upstream counts calls per id. */
  const primaryUpstream = `fault:down-for-3000:${prefix}`;
  let first = "";
  let second = "";

  beforeAll(async () => {
    [first, second] = [await startRuntime(redisUrl), await startRuntime(redisUrl)];
    for (const [name, upstream, fallbacks] of [
      [`${prefix}-fb`, `fault:ok:${prefix}`, []],
      [primaryModel, primaryUpstream, [`${prefix}-fb`]],
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
        adminId,
      );
  }, 60_000);

  const ask = async (baseURL: string) =>
    (
      await client(baseURL, key).chat.completions.create({
        model: primaryModel,
        messages: [{ role: "user", content: "hi" }],
      })
    ).model;

  const primaryHits = async () =>
    ((await (await fetch(`${h.upstream.url}/_fake/seen`)).json()) as Record<string, number[]>)[
      primaryUpstream
    ] ?? [];

  it("opened by one, no traffic from the other; one probe recovers it; the webhooks hear both once", async () => {
    // Three failures in a row open the breaker (each request is answered by the fallback).
    for (let i = 0; i < 3; i++) expect(await ask(first)).toBe(`${prefix}-fb`);
    expect(await primaryHits()).toHaveLength(3);
    // The second runtime knows it is open: the primary sees nothing more.
    for (let i = 0; i < 4; i++) expect(await ask(second)).toBe(`${prefix}-fb`);
    expect(await primaryHits()).toHaveLength(3);

    // Healthy again after 3 s; the 5 s cooldown ends; one probe (from either) closes it.
    await new Promise((r) => setTimeout(r, 5_200));
    const answers = await Promise.all([ask(first), ask(second), ask(first)]);
    expect(answers).toContain(primaryModel);
    expect(await primaryHits()).toHaveLength(4);
    // Closed for both: the next requests go to the primary from either runtime (the other
    // hears of the closing through NOTIFY or Redis pub/sub, a moment later).
    for (const runtime of [second, first])
      await expect.poll(() => ask(runtime), { timeout: 5_000 }).toBe(primaryModel);

    for (const runtime of runtimes) await runtime.flush();
    const opened = await deliveries("deployment.unhealthy", primaryModel);
    expect(opened).toHaveLength(1);
    expect(opened[0].payload).toMatchObject({
      model: { name: primaryModel },
      state: "cooling_down",
    });
    expect(await deliveries("deployment.recovered", primaryModel)).toHaveLength(1);

    // Where the state lives: Redis (mb:br:<deployment id>), or the database's breaker table.
    const [primary] = await h.database.db
      .select({ id: modelDeployments.id })
      .from(modelDeployments)
      .innerJoin(models, eq(models.id, modelDeployments.modelId))
      .where(eq(models.name, primaryModel));
    const inDatabase = await h.database.db
      .select()
      .from(deploymentBreakers)
      .where(eq(deploymentBreakers.deploymentId, primary.id));
    const redis = new Redis(REDIS_URL);
    try {
      const inRedis = await redis.get(`mb:br:${primary.id}`);
      if (redisUrl) {
        expect(JSON.parse(inRedis ?? "null")).toMatchObject({ failures: 0, openUntil: null });
        expect(inDatabase).toHaveLength(0);
      } else {
        expect(inRedis).toBeNull();
        expect(inDatabase).toHaveLength(1);
      }
    } finally {
      redis.disconnect();
    }
  }, 60_000);
});
