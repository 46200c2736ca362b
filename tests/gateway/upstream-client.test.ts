import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  readAll,
  undiciUpstreamClient,
  type UpstreamClient,
  type UpstreamRequest,
} from "@/lib/gateway/relay/upstream-client";
import { startFakeUpstream, type FakeUpstream } from "../upstream/start-fake-upstream";

/**
 * The HTTP client to model servers (undici `dispatch` with the gateway's own handler), against
 * the fake model server process: bodies arrive whole and in order, a slow reader holds the
 * upstream back instead of buffering without bound, connections are reused, and every way of
 * giving up on a response (leaving a stream, the client's signal, a body over the cap)
 * aborts the upstream request.
 */
let upstream: FakeUpstream;
let client: UpstreamClient;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  client = undiciUpstreamClient();
});

afterAll(async () => {
  await client?.close();
  await upstream?.stop();
});

const stats = async (): Promise<{ chatConnections: number; closedEarly: number }> =>
  (await fetch(`${upstream.url}/_fake/stats`)).json();

function call(
  model: string,
  extra: Record<string, unknown> = {},
  signal = new AbortController().signal,
): UpstreamRequest {
  return {
    url: `${upstream.url}/chat/completions`,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }], ...extra }),
    signal,
    connectTimeoutMs: 2_000,
    firstByteTimeoutMs: 5_000,
    idleTimeoutMs: 5_000,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(20);
  }
}

describe("upstream client", () => {
  it("reads a non-stream answer whole, and reuses connections for answers in sequence", async () => {
    const before = await stats();
    for (let i = 0; i < 20; i++) {
      const response = await client.send(call("json"));
      expect(response.status).toBe(200);
      expect(response.contentType).toContain("application/json");
      const body = JSON.parse((await readAll(response.body, 1 << 20)).toString("utf8"));
      expect(body.usage.prompt_tokens).toBeGreaterThan(0);
      // What the stream relay does after every stream: after the end it must not touch the
      // connection, which is back in the pool.
      response.discard();
    }
    // undici may open a second connection while the first is being set up; a connection
    // destroyed after each answer would make it 20.
    expect((await stats()).chatConnections - before.chatConnections).toBeLessThanOrEqual(2);
  });

  it("a 1 MB answer read by a slow reader arrives whole and in order", async () => {
    const response = await client.send(call("big", { fake_bytes: 1_000_000 }));
    let text = "";
    const decoder = new TextDecoder();
    for await (const chunk of response.body) {
      text += decoder.decode(chunk, { stream: true });
      await sleep(1); // slower than loopback: undici must pause, not buffer everything
    }
    const body = JSON.parse(text);
    expect(body.choices[0].message.content).toBe("x".repeat(1_000_000));
  });

  it("an answer over the cap is refused and the upstream request is aborted", async () => {
    const before = await stats();
    const response = await client.send(call("big", { fake_bytes: 50_000_000 }));
    const error = await readAll(response.body, 100_000).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe("MB_UPSTREAM_TOO_LARGE");
    await until(async () => (await stats()).closedEarly > before.closedEarly, 3_000);
  });

  it("leaving a stream early aborts the upstream at once", async () => {
    const before = await stats();
    const response = await client.send(
      call("sse", { stream: true, fake_chunks: 100, fake_interval_ms: 30 }),
    );
    let chunks = 0;
    for await (const chunk of response.body) {
      expect(chunk.byteLength).toBeGreaterThan(0);
      if (++chunks === 3) break;
    }
    // A stream that ran to its end (3 s) would not count: the upstream saw the client leave.
    await until(async () => (await stats()).closedEarly > before.closedEarly, 5_000);
  });

  it("the client's signal aborts a request still waiting for its headers", async () => {
    const before = await stats();
    const controller = new AbortController();
    const pending = client.send(call("slow", { fake_delay_ms: 5_000 }, controller.signal));
    await sleep(100);
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect((error as { name?: string }).name).toBe("AbortError");
    await until(async () => (await stats()).closedEarly > before.closedEarly, 2_000);
  });

  it("the client's signal aborts a stream mid-body: the reader gets an abort error", async () => {
    const controller = new AbortController();
    const response = await client.send(
      call("sse", { stream: true, fake_chunks: 100, fake_interval_ms: 30 }, controller.signal),
    );
    const iterator = response.body[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    setTimeout(() => controller.abort(), 50);
    const error = await (async () => {
      for (;;) if ((await iterator.next()).done) return null;
    })().catch((e: unknown) => e);
    expect((error as { name?: string }).name).toBe("AbortError");
  });

  it("an already-aborted signal never reaches the upstream's answer", async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await client.send(call("json", {}, controller.signal)).catch((e: unknown) => e);
    expect((error as { name?: string }).name).toBe("AbortError");
  });
});
