import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import { eq } from "drizzle-orm";
import { openDatabase, type Database } from "@/db/client";
import { usageRecords } from "@/db/schema";
import { createDeployment, listDeployments, updateDeployment } from "@/lib/models/deployments";
import { createModel } from "@/lib/models/service";
import { createModelInput } from "@/lib/models/schemas";
import { createKey, createUser, startHarness, type Harness } from "../helpers/harness";
import { serveRuntime, type ServedRuntime } from "../helpers/serve-runtime";

/**
 * A deployment's own requests/tokens per minute (PRODUCT.md "Routing": "counted across
 * processes like a key's limits; the gateway never sends more"), through real gateways and
 * the openai SDK, counted in Postgres (leased slices; PGlite when no TEST_DATABASE_URL) and
 * in Redis. What the fake upstream saw (`/_fake/seen`, per upstream model name: one per
 * deployment here) is what the deployment was sent.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

let h: Harness;
let other: Database;
let adminId = "";
let userId = "";
let run = 0;

beforeAll(async () => {
  h = await startHarness();
  adminId = (await createUser(h.database, "admin")).id;
  userId = (await createUser(h.database)).id;
  other = h.database.url
    ? await openDatabase({ url: h.database.url, maxConnections: 3 })
    : h.database;
}, 120_000);

afterAll(async () => {
  if (other && other !== h.database) await other.close();
  await h?.close();
});

interface DeploymentSpec {
  tag: string;
  requests_per_minute?: number;
  tokens_per_minute?: number;
  priority?: number;
}

/** A model whose deployments are the fake upstream under `fault:ok:<tag>` names, one per deployment. */
async function modelWith(name: string, specs: DeploymentSpec[]) {
  const [first, ...rest] = specs;
  const model = await createModel(
    h.database,
    createModelInput.parse({
      name,
      base_url: h.upstream.url,
      upstream_model: `fault:ok:${first.tag}`,
      input_price_per_million: 1,
      output_price_per_million: 2,
    }),
    adminId,
  );
  const [only] = await listDeployments(h.database, model.id);
  const ids = [only.id];
  await updateDeployment(
    h.database,
    model.id,
    only.id,
    {
      requests_per_minute: first.requests_per_minute ?? null,
      tokens_per_minute: first.tokens_per_minute ?? null,
      priority: first.priority ?? 0,
    },
    adminId,
  );
  for (const spec of rest) {
    const created = await createDeployment(
      h.database,
      model.id,
      {
        base_url: h.upstream.url,
        upstream_model: `fault:ok:${spec.tag}`,
        requests_per_minute: spec.requests_per_minute ?? null,
        tokens_per_minute: spec.tokens_per_minute ?? null,
        priority: spec.priority ?? 0,
      },
      adminId,
    );
    ids.push(created.id);
  }
  return ids;
}

const seen = async (tag: string) =>
  ((await (await fetch(`${h.upstream.url}/_fake/seen`)).json()) as Record<string, number[]>)[
    `fault:ok:${tag}`
  ]?.length ?? 0;

type Outcome =
  { ok: true; model: string } | { ok: false; status: number; code: string; retryAfter: number };

async function ask(sdk: OpenAI, model: string, extra: Record<string, unknown> = {}) {
  try {
    const answer = await sdk.chat.completions.create({
      model,
      messages: [{ role: "user", content: "hi" }],
      ...extra,
    });
    return { ok: true, model: answer.model } as Outcome;
  } catch (error) {
    const e = error as InstanceType<typeof OpenAI.APIError>;
    return {
      ok: false,
      status: e.status ?? 0,
      code: String(e.code),
      retryAfter: Number(e.headers?.get("retry-after")),
    } as Outcome;
  }
}

/**
 * The counts are per UTC minute (a sliding estimate: the previous minute weighs in by what
 * the last 60 s still cover). A test that starts in a minute's last seconds waits for the
 * next one, so that its few requests all fall in one minute with nothing before it.
 */
async function awayFromMinuteEnd() {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 50_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 100));
}

const stores = [
  ["Postgres (no Redis)", null],
  ["Redis", REDIS_URL],
] as const;

describe.each(stores)("per-deployment limits on %s", (_name, redisUrl) => {
  let a: ServedRuntime;
  let b: ServedRuntime;
  let key = "";

  beforeAll(async () => {
    [a, b] = await Promise.all([serveRuntime(h.database, redisUrl), serveRuntime(other, redisUrl)]);
    key = (await createKey(h.database, { userId })).key;
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it("a deployment at its requests per minute is skipped for another; all at their limits: 503 no_healthy_deployment with retry-after", async () => {
    run++;
    const name = `dl-rpm-${run}`;
    await modelWith(name, [
      { tag: `rpm1-${run}`, requests_per_minute: 2 },
      { tag: `rpm2-${run}`, requests_per_minute: 3 },
    ]);
    await awayFromMinuteEnd();
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 7; i++) outcomes.push(await ask(a.sdk(key), name));

    expect(outcomes.slice(0, 5)).toEqual(Array(5).fill({ ok: true, model: name }));
    for (const refused of outcomes.slice(5)) {
      expect(refused).toMatchObject({ ok: false, status: 503, code: "no_healthy_deployment" });
      if (refused.ok) continue;
      expect(refused.retryAfter).toBeGreaterThanOrEqual(1);
      expect(refused.retryAfter).toBeLessThanOrEqual(60);
    }
    // Each deployment was sent exactly what its minute allows, never more.
    expect(await seen(`rpm1-${run}`)).toBe(2);
    expect(await seen(`rpm2-${run}`)).toBe(3);
  });

  it("two processes share one deployment's minute: together they never send it more", async () => {
    run++;
    const name = `dl-shared-${run}`;
    await modelWith(name, [{ tag: `shared-${run}`, requests_per_minute: 4 }]);
    await awayFromMinuteEnd();
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => ask((i % 2 ? a : b).sdk(key), name)),
    );
    const served = outcomes.filter((o) => o.ok).length;
    expect(served).toBeLessThanOrEqual(4);
    expect(served).toBeGreaterThanOrEqual(1);
    expect(await seen(`shared-${run}`)).toBe(served);
    for (const o of outcomes.filter((o) => !o.ok))
      expect(o).toMatchObject({ status: 503, code: "no_healthy_deployment" });
    // Both processes count in the same minute: B, after A's share, finds no room either.
    expect(await ask(a.sdk(key), name)).toMatchObject({ ok: false, status: 503 });
    expect(await ask(b.sdk(key), name)).toMatchObject({ ok: false, status: 503 });
    expect(await seen(`shared-${run}`)).toBe(served);
  });

  it("tokens per minute: a prompt larger than the minute goes elsewhere; what the deployment answered stays within it", async () => {
    run++;
    const name = `dl-tpm-${run}`;
    const [limited, spare] = await modelWith(name, [
      { tag: `tpm1-${run}`, tokens_per_minute: 200 },
      { tag: `tpm2-${run}`, priority: 1 },
    ]);
    await awayFromMinuteEnd();
    const long = await a.sdk(key).chat.completions.create({
      model: name,
      messages: [{ role: "user", content: "lorem ipsum dolor ".repeat(300) }],
      max_tokens: 5,
    });
    expect(long.model).toBe(name);
    expect(await seen(`tpm1-${run}`)).toBe(0);
    expect(await seen(`tpm2-${run}`)).toBe(1);

    for (let i = 0; i < 8; i++)
      expect(await ask(a.sdk(key), name, { max_tokens: 40 })).toMatchObject({ ok: true });
    await a.runtime.flush();
    const rows = await h.database.db
      .select()
      .from(usageRecords)
      .where(eq(usageRecords.model, name));
    const on = (id: string) => rows.filter((r) => r.deploymentId === id);
    const used = on(limited).reduce((sum, r) => sum + r.promptTokens + r.completionTokens, 0);
    // The first tier took what its minute allowed (as the upstream reported it), the rest went on.
    expect(on(limited).length).toBeGreaterThanOrEqual(1);
    expect(used).toBeLessThanOrEqual(200);
    expect(on(spare).length).toBe(9 - on(limited).length);
    expect(await seen(`tpm1-${run}`)).toBe(on(limited).length);
  });
});
