import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { telemetrySettings } from "@/lib/env";
import { createGatewayRuntime, type GatewayRuntime } from "@/lib/gateway/entry/runtime";
import { createTracing } from "@/lib/telemetry/process-tracing";
import type { Tracing } from "@/lib/telemetry/start-tracing";
import { tracingConfig } from "@/lib/telemetry/tracing-config";
import {
  client,
  registerFakeModels,
  startHarness,
  usageFor,
  userWithKey,
  type Harness,
} from "../helpers/harness";
import { closedPort, startOtlpReceiver, type OtlpReceiver } from "./otlp-receiver";

/**
 * An exporter that cannot export never fails a request: one gateway runtime traces to a
 * port where nothing listens, a second (on the same database) to a collector that reads
 * each export and never answers. Both answer chat and streamed chat correctly, record and
 * charge them, and still pass a traceparent upstream; the operator is told, in the log,
 * that exports fail. (How fast they answer is the bench's job: `npm run bench`.)
 */
let h: Harness;
let hanging: OtlpReceiver;
let second: GatewayRuntime;
let secondServer: http.Server;
let secondUrl = "";
let downTracing: Tracing;
let hangTracing: Tracing;
let key = "";
let keyId = "";
const downLogs: Record<string, unknown>[] = [];
const hangLogs: Record<string, unknown>[] = [];

const tracingTo = async (endpoint: string, logs: Record<string, unknown>[]) =>
  (await createTracing(
    tracingConfig(
      telemetrySettings({
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_EXPORTER_OTLP_TIMEOUT: "1000",
        OTEL_BSP_SCHEDULE_DELAY: "20",
        OTEL_BSP_EXPORT_TIMEOUT: "1500",
      }),
    ),
    (line) => logs.push(line),
  ))!;

beforeAll(async () => {
  hanging = await startOtlpReceiver("hang");
  downTracing = await tracingTo(await closedPort(), downLogs);
  hangTracing = await tracingTo(hanging.url, hangLogs);
  h = await startHarness({ tracing: downTracing });
  second = await createGatewayRuntime(h.database, {
    log: () => undefined,
    redisUrl: null,
    tracing: hangTracing,
  });
  secondServer = http.createServer((req, res) => second.handleNode(req, res));
  await new Promise<void>((resolve) => secondServer.listen(0, "127.0.0.1", resolve));
  secondUrl = `http://127.0.0.1:${(secondServer.address() as AddressInfo).port}/v1`;
  await registerFakeModels(h.database, h.upstream.url, ["json", "sse"]);
  ({ key, keyId } = await userWithKey(h.database));
}, 120_000);

afterAll(async () => {
  secondServer?.closeAllConnections();
  secondServer?.close();
  await second?.shutdown();
  await h?.close();
  await Promise.all([downTracing?.shutdown(1_000), hangTracing?.shutdown(1_000)]);
  await hanging?.close();
});

async function chatAndStream(baseURL: string) {
  const answer = await client(baseURL, key).chat.completions.create({
    model: "fake/json",
    messages: [{ role: "user", content: "hi" }],
  });
  expect(answer.choices[0].message.content).toBe(" tok tok tok tok tok");
  expect(answer.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 5 });
  const stream = await client(baseURL, key).chat.completions.create({
    model: "fake/sse",
    messages: [{ role: "user", content: "hi" }],
    stream: true,
  });
  let text = "";
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
  expect(text).toBe(" tok tok tok tok tok");
}

async function until(check: () => boolean) {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  return check();
}

describe("the collector is down", () => {
  it("nothing listening: requests answer, are recorded, carry a traceparent upstream; the log says exports fail", async () => {
    for (let i = 0; i < 3; i++) await chatAndStream(h.baseURL);
    const received = (await (await fetch(`${h.upstream.url}/_fake/requests`)).json()) as {
      headers: Record<string, string>;
    }[];
    expect(received.at(-1)!.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await h.runtime.flush();
    const rows = await usageFor(h.database, keyId);
    expect(rows.filter((r) => r.status === 200)).toHaveLength(6);
    expect(await until(() => downLogs.some((l) => l.msg === "trace export failed"))).toBe(true);
    expect(downLogs.find((l) => l.msg === "trace export failed")).toMatchObject({
      level: "warn",
      failed_exports: expect.any(Number),
    });
  });

  it("a collector that never answers: requests answer while its exports hang, and after", async () => {
    await chatAndStream(secondUrl);
    // Exports are on the wire (read, never answered) while more requests are served.
    expect(await until(() => hanging.exports > 0)).toBe(true);
    for (let i = 0; i < 3; i++) await chatAndStream(secondUrl);
    expect(await until(() => hangLogs.some((l) => l.msg === "trace export failed"))).toBe(true);
    await chatAndStream(secondUrl);
    await second.flush();
    const rows = await usageFor(h.database, keyId);
    expect(rows.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(6 + 10);
  });
});
