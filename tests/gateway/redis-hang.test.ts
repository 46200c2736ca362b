import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { createGatewayRuntime, type GatewayRuntime } from "@/lib/gateway/entry/runtime";
import { createKey } from "@/lib/keys/create-key";
import { makeActor } from "../helpers/actors";
import { client, registerFakeModels, startHarness, type Harness } from "../helpers/harness";
import { freePort, stopProcess } from "../helpers/processes";

/**
 * Issue 27 item 11: a Redis that hangs (SIGSTOP: the socket stays open, nothing answers)
 * gives rate-limited requests a prompt 503 `service_unavailable`, not a request that never
 * ends; and the gateway still shuts down. A private redis-server on loopback is stopped,
 * never the shared one.
 */
let h: Harness;
let redis: ChildProcess;
let runtime: GatewayRuntime;
let server: http.Server;
let baseURL: string;

beforeAll(async () => {
  h = await startHarness();
  await registerFakeModels(h.database, h.upstream.url, ["json"]);
  const port = await freePort();
  redis = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: "ignore",
    },
  );
  for (let i = 0; i < 50; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const probe = net.connect(port, "127.0.0.1");
      probe.once("connect", () => (probe.destroy(), resolve(true)));
      probe.once("error", () => resolve(false));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  runtime = await createGatewayRuntime(h.database, {
    log: () => {},
    redisUrl: `redis://127.0.0.1:${port}`,
  });
  server = http.createServer((req, res) => runtime.handleNode(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  if (redis?.pid) process.kill(redis.pid, "SIGCONT");
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  if (redis) await stopProcess(redis);
  await h?.close();
});

describe("a hung Redis", () => {
  it("answers 503 within a few seconds instead of hanging, and shutdown does not wait on it", async () => {
    const actor = await makeActor(h.database.db, "Limited");
    const { rawKey: key } = await createKey(h.database.db, actor, {
      name: "limited",
      type: "model_serving",
      teamId: null,
      spendingLimit: null,
      expiresAt: null,
      rateLimits: { requestsPerMinute: 1000, tokensPerMinute: null, maxConcurrent: null },
    });
    const sdk = client(baseURL, key);
    const ask = () =>
      sdk.chat.completions
        .create({ model: "fake/json", messages: [{ role: "user", content: "hi" }] })
        .then(
          () => 200,
          (error: { status?: number }) => error.status ?? 0,
        );
    expect(await ask()).toBe(200);

    process.kill(redis.pid!, "SIGSTOP");
    const started = Date.now();
    const statuses = await Promise.all([ask(), ask(), ask()]);
    const took = Date.now() - started;
    expect(statuses).toEqual([503, 503, 503]);
    expect(took).toBeLessThan(5_000);

    const closing = Date.now();
    await runtime.shutdown();
    expect(Date.now() - closing).toBeLessThan(5_000);
  });
});
