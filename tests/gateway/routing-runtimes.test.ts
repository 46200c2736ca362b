import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { webhookDeliveries, webhooks } from "@/db/schema";
import { createGatewayRuntime, type GatewayRuntime } from "@/lib/gateway/entry/runtime";
import { encryptCredential } from "@/lib/models/credential-crypto";
import { createModel } from "@/lib/models/service";
import { createModelInput } from "@/lib/models/schemas";
import { client, createKey, createUser, startHarness, type Harness } from "../helpers/harness";

/**
 * Two gateway runtimes on one database (two processes, as far as the gateway can tell; on
 * Postgres e2e/api/routing-two-processes.spec.ts runs two real ones): a deployment the first
 * saw fail gets no traffic from the second; a breaker that opens and one that closes again
 * reach the platform admins' webhooks once each, as deployment.unhealthy and .recovered.
 */
let h: Harness;
let second: GatewayRuntime;
let secondUrl = "";
let server: http.Server;
let key = "";
let adminId = "";

beforeAll(async () => {
  h = await startHarness();
  second = await createGatewayRuntime(h.database, { log: () => undefined, redisUrl: null });
  server = http.createServer((req, res) => second.handleNode(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  secondUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  const admin = await createUser(h.database, "admin");
  adminId = admin.id;
  await h.database.db.insert(webhooks).values({
    userId: admin.id,
    url: "http://127.0.0.1:9/hook",
    secretCiphertext: encryptCredential("whsec_test"),
    createdBy: admin.id,
  });
  for (const [name, upstream, fallbacks] of [
    ["rt-fb", "fault:ok:rt", []],
    ["rt-primary", "fault:down-for-3000:rt", ["rt-fb"]],
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
  key = (await createKey(h.database, { userId: (await createUser(h.database)).id })).key;
}, 120_000);

afterAll(async () => {
  server?.close();
  await second?.shutdown();
  await h?.close();
});

const ask = async (baseURL: string) =>
  (
    await client(baseURL, key).chat.completions.create({
      model: "rt-primary",
      messages: [{ role: "user", content: "hi" }],
    })
  ).model;

const primaryHits = async () =>
  ((await (await fetch(`${h.upstream.url}/_fake/seen`)).json()) as Record<string, number[]>)[
    "fault:down-for-3000:rt"
  ] ?? [];

describe("breakers shared by two runtimes", () => {
  it("opened by one, no traffic from the other; recovered; the admins' webhooks hear both once", async () => {
    for (let i = 0; i < 3; i++) expect(await ask(h.baseURL)).toBe("rt-fb");
    expect(await primaryHits()).toHaveLength(3);
    for (let i = 0; i < 4; i++) expect(await ask(secondUrl)).toBe("rt-fb");
    expect(await primaryHits()).toHaveLength(3);

    // Healthy again after 3 s; the 5 s cooldown ends; one probe (from either) closes it.
    await new Promise((r) => setTimeout(r, 5_200));
    const answers = await Promise.all([ask(h.baseURL), ask(secondUrl), ask(h.baseURL)]);
    expect(answers).toContain("rt-primary");
    expect(await primaryHits()).toHaveLength(4);
    await h.runtime.flush();
    await second.flush();
    const events = await h.database.db
      .select({ event: webhookDeliveries.event, payload: webhookDeliveries.payload })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.event, "deployment.unhealthy"));
    expect(events).toHaveLength(1);
    expect(events[0].payload).toMatchObject({
      model: { name: "rt-primary" },
      state: "cooling_down",
    });
    const recovered = await h.database.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.event, "deployment.recovered"));
    expect(recovered).toHaveLength(1);
  }, 60_000);
});
