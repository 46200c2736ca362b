import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/db/client";
import { createDeployment } from "@/lib/models/deployments";
import { createModel } from "@/lib/models/service";
import { createModelInput } from "@/lib/models/schemas";
import { client, createKey, createUser, startHarness, type Harness } from "../helpers/harness";
import { serveRuntime, type ServedRuntime } from "../helpers/serve-runtime";

/**
 * `least_busy` (PRODUCT.md "Routing": "fewest requests in flight across processes"): a
 * request waiting on one deployment in process A makes process B send its next request to
 * the other deployment. Each process reports its counts to `deployment_load` about once a
 * second; the test flushes both instead of waiting for their timers.
 */
let h: Harness;
let other: Database;
let b: ServedRuntime;
let key = "";

beforeAll(async () => {
  h = await startHarness();
  other = h.database.url
    ? await openDatabase({ url: h.database.url, maxConnections: 3 })
    : h.database;
  b = await serveRuntime(other, null);
  const admin = await createUser(h.database, "admin");
  const model = await createModel(
    h.database,
    createModelInput.parse({
      name: "lb-model",
      base_url: h.upstream.url,
      upstream_model: "fault:slow-first-token:lbA",
      input_price_per_million: 1,
      output_price_per_million: 2,
      routing: { strategy: "least_busy" },
    }),
    admin.id,
  );
  await createDeployment(
    h.database,
    model.id,
    { base_url: h.upstream.url, upstream_model: "fault:slow-first-token:lbB" },
    admin.id,
  );
  key = (await createKey(h.database, { userId: (await createUser(h.database)).id })).key;
}, 120_000);

afterAll(async () => {
  await b?.close();
  if (other && other !== h.database) await other.close();
  await h?.close();
});

const seen = async (tag: string) =>
  ((await (await fetch(`${h.upstream.url}/_fake/seen`)).json()) as Record<string, number[]>)[
    `fault:slow-first-token:${tag}`
  ]?.length ?? 0;

describe("least_busy across processes", () => {
  it("a request in flight on one deployment in process A sends process B's request to the other", async () => {
    // A: a stream whose first content comes after 4 s, on one of the two (both idle).
    const body = {
      model: "lb-model",
      messages: [{ role: "user" as const, content: "hi" }],
      stream: true as const,
      fake_delay_ms: 4_000,
    };
    const slow = (async () => {
      const stream = await client(h.baseURL, key).chat.completions.create(body);
      for await (const chunk of stream) void chunk;
    })();
    const busy = async () => ((await seen("lbA")) ? "lbA" : (await seen("lbB")) ? "lbB" : null);
    for (let i = 0; i < 200 && (await busy()) === null; i++)
      await new Promise((r) => setTimeout(r, 50));
    const first = await busy();
    expect(first).not.toBeNull();
    const idle = first === "lbA" ? "lbB" : "lbA";

    // A reports its request in flight; B reads it; B's request goes to the idle deployment.
    await h.runtime.flush();
    await b.runtime.flush();
    expect(b.runtime.deps.deploymentLoad?.inFlight(await deploymentIdOf(first!))).toBe(1);
    const answer = await b.sdk(key).chat.completions.create({
      model: "lb-model",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(answer.model).toBe("lb-model");
    expect(await seen(idle)).toBe(1);
    expect(await seen(first!)).toBe(1);
    await slow;
  }, 60_000);
});

async function deploymentIdOf(tag: string): Promise<string> {
  const got = h.runtime.deps.models.get("lb-model");
  const model = got instanceof Promise ? await got : got;
  return model!.deployments!.find((d) => d.model.upstreamModel?.endsWith(tag))!.id;
}
