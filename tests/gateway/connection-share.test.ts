import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import type { Database } from "@/db/client";
import { createGatewayRuntime, type GatewayRuntime } from "@/lib/gateway/entry/runtime";
import { undiciUpstreamClient, type UpstreamClient } from "@/lib/gateway/relay/upstream-client";
import { createModel } from "@/lib/models/service";
import { createModelInput } from "@/lib/models/schemas";
import { createDeployment } from "@/lib/models/deployments";
import { createDeploymentInput } from "@/lib/models/deployment-schemas";
import { openTestDatabase } from "../helpers/database";
import { client, createKey, createUser } from "../helpers/harness";

/**
 * Issue 27 item 1 under load: one key flooding a slow upstream cannot take every connection
 * of the gateway's pool to that server. A real gateway (8 connections per origin, a key or
 * owner at most half) in front of a real HTTP upstream that holds "hold" streams open until
 * the test lets them go, and answers anything else at once; the official SDK as client.
 */
const CONNECTIONS = 8;
const SHARE = CONNECTIONS / 2;

interface SlowUpstream {
  url: string;
  /** Streams held open now, by the tag in their prompt. */
  held(tag?: string): number;
  /** The most held open at once, by tag. */
  maxHeld(tag: string): number;
  /** Finishes the oldest held stream of this tag. */
  releaseOne(tag: string): void;
  /** Finishes every held stream, and holds none until `holdAgain`. */
  releaseAll(): void;
  holdAgain(): void;
  answered: number;
  stop(): Promise<void>;
}

const chunk = (content: string | null, finish: string | null) =>
  `data: ${JSON.stringify({
    id: "chatcmpl-held",
    object: "chat.completion.chunk",
    created: 1,
    model: "slow",
    choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }],
  })}\n\n`;

async function startSlowUpstream(): Promise<SlowUpstream> {
  const holding = new Map<string, http.ServerResponse[]>();
  const most = new Map<string, number>();
  let holdNone = false;
  const finish = (res: http.ServerResponse) => {
    res.end(
      chunk(null, "stop") +
        `data: ${JSON.stringify({ id: "chatcmpl-held", object: "chat.completion.chunk", created: 1, model: "slow", choices: [], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } })}\n\n` +
        "data: [DONE]\n\n",
    );
  };
  const state = { answered: 0 };
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      const body = JSON.parse(raw) as {
        stream?: boolean;
        messages: { content: string }[];
      };
      const prompt = body.messages.at(-1)?.content ?? "";
      state.answered++;
      if (body.stream) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(chunk("x", null));
        const tag = prompt.startsWith("hold:") ? prompt.slice(5) : null;
        if (!tag || holdNone) return finish(res);
        const list = holding.get(tag) ?? [];
        list.push(res);
        holding.set(tag, list);
        most.set(tag, Math.max(most.get(tag) ?? 0, list.length));
        res.on("close", () => {
          const at = list.indexOf(res);
          if (at >= 0) list.splice(at, 1);
        });
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id: "chatcmpl-quick",
          object: "chat.completion",
          created: 1,
          model: "quick",
          choices: [
            { index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" },
          ],
          usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const upstream: SlowUpstream = {
    url: `http://127.0.0.1:${port}/v1`,
    held: (tag) =>
      tag === undefined
        ? [...holding.values()].reduce((n, list) => n + list.length, 0)
        : (holding.get(tag)?.length ?? 0),
    maxHeld: (tag) => most.get(tag) ?? 0,
    releaseOne(tag) {
      const res = holding.get(tag)?.shift();
      if (res) finish(res);
    },
    releaseAll() {
      holdNone = true;
      for (const list of holding.values()) for (const res of list.splice(0)) finish(res);
    },
    holdAgain() {
      holdNone = false;
      most.clear();
    },
    get answered() {
      return state.answered;
    },
    async stop() {
      upstream.releaseAll();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return upstream;
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2_000; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`gave up waiting for: ${what}`);
}

/** Opens a stream and reads it to its end in the background; resolves with how it ended. */
function openStream(sdk: OpenAI, model: string, prompt: string) {
  return sdk.chat.completions
    .create({ model, messages: [{ role: "user", content: prompt }], stream: true })
    .then(async (stream) => {
      let text = "";
      for await (const part of stream) text += part.choices[0]?.delta?.content ?? "";
      return { ok: true as const, text };
    })
    .catch((error: unknown) => ({
      ok: false as const,
      error: error as InstanceType<typeof OpenAI.APIError>,
    }));
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

let database: Database;
let runtime: GatewayRuntime;
let upstreamClient: UpstreamClient;
let upstream: SlowUpstream;
let spare: SlowUpstream;
let server: http.Server;
let baseURL: string;
const sdk: Record<"noisy" | "other" | "victim", OpenAI> = {} as never;

async function model(name: string, connectTimeoutMs: number, url = upstream.url) {
  return createModel(
    database,
    createModelInput.parse({
      name,
      base_url: url,
      upstream_model: "slow",
      input_price_per_million: "1.00",
      output_price_per_million: "2.00",
      connect_timeout_ms: connectTimeoutMs,
      first_byte_timeout_ms: 30_000,
      idle_timeout_ms: 120_000,
    }),
    null,
  );
}

beforeAll(async () => {
  process.env.ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
  [database, upstream, spare] = await Promise.all([
    openTestDatabase(),
    startSlowUpstream(),
    startSlowUpstream(),
  ]);
  upstreamClient = undiciUpstreamClient({
    connectionsPerOrigin: CONNECTIONS,
    connectionShare: 0.5,
  });
  runtime = await createGatewayRuntime(database, {
    log: () => {},
    upstream: upstreamClient,
    config: { usageFlushMs: 100, reservationWaitMs: 5_000, abortGraceMs: 1_000 },
  });
  server = http.createServer((req, res) => runtime.handleNode(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  // Each model has its own connect timeout, hence its own pool (origin × connect timeout).
  await model("shared/slow", 30_000);
  await model("shared/full", 30_001);
  await model("shared/busy", 1_000);
  const routed = await model("shared/routed", 1_100);
  await createDeployment(
    database,
    routed.id,
    createDeploymentInput.parse({ base_url: spare.url, upstream_model: "slow", priority: 1 }),
    null,
  );
  for (const who of ["noisy", "other", "victim"] as const) {
    const user = await createUser(database);
    sdk[who] = client(baseURL, (await createKey(database, { userId: user.id })).key);
  }
});

afterAll(async () => {
  upstream?.releaseAll();
  spare?.releaseAll();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await runtime?.shutdown();
  await upstream?.stop();
  await spare?.stop();
  await database?.close();
});

const poolOf = (connectTimeoutMs: number) =>
  upstreamClient.connections!().find((p) => p.pool.endsWith(`|${connectTimeoutMs}`))!;

describe("one key cannot starve others of a model server's connections", () => {
  it("a key flooding a slow model holds its share; another user's requests on the same model are answered at once", async () => {
    const ask = async (who: "victim") => {
      const started = performance.now();
      const answer = await sdk[who].chat.completions.create({
        model: "shared/slow",
        messages: [{ role: "user", content: "quick one" }],
      });
      expect(answer.choices[0].message.content).toBe("ok");
      return performance.now() - started;
    };
    for (let i = 0; i < 20; i++) await ask("victim"); // warm: connections, caches
    const idle: number[] = [];
    for (let i = 0; i < 20; i++) idle.push(await ask("victim"));

    // The flood: 40 long streams from one key.
    const flood = Array.from({ length: 40 }, () =>
      openStream(sdk.noisy, "shared/slow", "hold:noisy"),
    );
    await until(() => upstream.held("noisy") === SHARE, "the noisy key's streams to open");
    await until(() => poolOf(30_000).waiting === 40 - SHARE, "the rest of the flood to queue");

    const loaded: number[] = [];
    for (let i = 0; i < 20; i++) loaded.push(await ask("victim"));
    // The upstream never saw more of the noisy key than its share, and the flood still waits.
    expect(upstream.maxHeld("noisy")).toBe(SHARE);
    expect(poolOf(30_000).waiting).toBe(40 - SHARE);
    console.log(
      `victim p50 idle ${median(idle).toFixed(1)} ms, under a 40-stream flood ${median(loaded).toFixed(1)} ms (${SHARE} of ${CONNECTIONS} connections held by the flood, ${40 - SHARE} queued)`,
    );

    upstream.releaseAll();
    const ended = await Promise.all(flood);
    expect(ended.every((e) => e.ok)).toBe(true);
  });

  it("when the pool is full, a freed connection goes to the waiting victim, not to the flood queued before it", async () => {
    upstream.holdAgain();
    const noisy = Array.from({ length: 14 }, () =>
      openStream(sdk.noisy, "shared/full", "hold:noisy"),
    );
    const other = Array.from({ length: 14 }, () =>
      openStream(sdk.other, "shared/full", "hold:other"),
    );
    await until(
      () => upstream.held("noisy") === SHARE && upstream.held("other") === SHARE,
      "both floods to hold their share",
    );
    await until(() => poolOf(30_001).waiting === 20, "both floods to queue");

    // The pool is full: the victim waits too, behind 20 queued requests.
    const victim = openStream(sdk.victim, "shared/full", "hold:victim");
    await until(() => poolOf(30_001).waiting === 21, "the victim to queue");
    // One noisy stream ends: its connection goes to the victim.
    upstream.releaseOne("noisy");
    await until(() => upstream.held("victim") === 1, "the victim's request to reach the model");
    expect(poolOf(30_001).waiting).toBe(20);
    expect(upstream.held("noisy")).toBe(SHARE - 1);

    upstream.releaseAll();
    const ended = await Promise.all([victim, ...noisy, ...other]);
    expect(ended.every((e) => e.ok)).toBe(true);
  });

  it("a request that waits past the connect timeout gets 503 upstream_busy; the deployment is not blamed", async () => {
    upstream.holdAgain();
    const held = Array.from({ length: SHARE }, () =>
      openStream(sdk.noisy, "shared/busy", "hold:busy"),
    );
    await until(() => upstream.held("busy") === SHARE, "the noisy key's share to be held");
    const refused = await Promise.all(
      Array.from({ length: 3 }, () => openStream(sdk.noisy, "shared/busy", "hold:busy")),
    );
    for (const outcome of refused) {
      expect(outcome.ok).toBe(false);
      if (outcome.ok) continue;
      expect(outcome.error.status).toBe(503);
      expect(outcome.error.code).toBe("upstream_busy");
      expect(outcome.error.message).toContain("share of the model server's connections (4 of 8)");
      expect(outcome.error.headers?.get("retry-after")).toBe("1");
    }
    expect(upstream.maxHeld("busy")).toBe(SHARE);
    // Three busy failures would open a breaker after as many upstream failures: these did not.
    const answer = await sdk.victim.chat.completions.create({
      model: "shared/busy",
      messages: [{ role: "user", content: "quick one" }],
    });
    expect(answer.choices[0].message.content).toBe("ok");
    upstream.releaseAll();
    expect((await Promise.all(held)).every((e) => e.ok)).toBe(true);
  });

  it("with several deployments, a request whose share is full on one goes to the next", async () => {
    upstream.holdAgain();
    const held = Array.from({ length: SHARE }, () =>
      openStream(sdk.noisy, "shared/routed", "hold:routed"),
    );
    await until(() => upstream.held("routed") === SHARE, "the share on the first deployment");
    const before = spare.answered;
    const { data, response } = await sdk.noisy.chat.completions
      .create({ model: "shared/routed", messages: [{ role: "user", content: "quick one" }] })
      .withResponse();
    expect(data.choices[0].message.content).toBe("ok");
    expect(response.headers.get("x-modelbridge-attempts")).toBe("2");
    expect(spare.answered).toBe(before + 1);
    upstream.releaseAll();
    expect((await Promise.all(held)).every((e) => e.ok)).toBe(true);
  });
});
