/**
 * `npx tsx bench/tracing-cost.ts`: what tracing adds to one /v1 request, in CPU µs, with the
 * collector down, hanging, or answering, measured inside one process.
 *
 * Why a second measurement beside `BENCH_EXTRA=tracing`: the whole-gateway arms differ by a
 * few percent while the same arm's CPU per request moves 10–25% between rounds on these
 * shared machines, so "tracing on, collector down costs a few percent" cannot be read off
 * them. Here the work tracing adds is isolated: the gateway's own span code
 * (lib/gateway/tracing/request-trace.ts: a SERVER span, one CLIENT attempt span, the
 * traceparent injected upstream, the end-of-request attributes) on the real SDK, batch
 * processor and OTLP exporter (lib/telemetry/start-tracing.ts), at a steady request rate so
 * that the exporter's timer, batching, encoding and failed exports are counted too. Each
 * mode's process CPU over a fixed window, minus the same paced loop with tracing off,
 * divided by the requests made: µs per request, set against the gateway's own CPU per
 * request from `npm run bench`.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { gatewayTracer } from "@/lib/gateway/tracing/request-trace";
import type { GatewayTracer, RequestEnd } from "@/lib/gateway/tracing/trace-types";
import type { GatewayRequest } from "@/lib/gateway/types";
import { startTracing, type Tracing } from "@/lib/telemetry/start-tracing";
import type { TracingConfig } from "@/lib/telemetry/tracing-config";

const RATE_PER_SECOND = Number(process.env.TRACING_COST_RATE ?? 2000);
const WINDOW_SECONDS = Number(process.env.TRACING_COST_SECONDS ?? 5);
const ROUNDS = Number(process.env.TRACING_COST_ROUNDS ?? 5);
const TICK_MS = 10;

type Mode = "off" | "collector down" | "collector hangs" | "collector answers";

function configFor(url: string): TracingConfig {
  // The defaults lib/env.ts gives the OTEL_* variables.
  return {
    url,
    protocol: "http/protobuf",
    headers: [undefined, undefined],
    timeoutMs: 10_000,
    compression: "none",
    serviceName: "modelbridge-bench",
    resourceAttributes: undefined,
    sampler: "parentbased_always_on",
    samplerRatio: 1,
    batch: {
      scheduledDelayMillis: 5_000,
      maxQueueSize: 2_048,
      maxExportBatchSize: 512,
      exportTimeoutMillis: 30_000,
    },
  };
}

const request: GatewayRequest = {
  method: "POST",
  path: "/v1/chat/completions",
  headers: {
    authorization: "Bearer mb_live_not_a_real_key",
    "content-type": "application/json",
    "user-agent": "OpenAI/JS 6.0.0",
    "x-forwarded-for": "203.0.113.9",
  },
  body: null,
  signal: null as unknown as GatewayRequest["signal"],
};

const end: RequestEnd = {
  status: 200,
  errorCode: null,
  endpoint: "chat.completions",
  requestedModel: "bench/chat",
  responseModel: "bench/chat",
  provider: "openai",
  streamed: true,
  keyId: "8a0d3c0e-5f7a-4c55-9c1e-0c8e2b9f6a11",
  promptTokens: 12,
  completionTokens: 20,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  cost: 52n,
  costSource: "usage",
  attempts: 1,
  deploymentId: "5b8f0e4e-2d7c-4f0a-8d7e-6f1c2a3b4c5d",
  ttfbMs: 2.4,
};

/** One request's worth of what the gateway does with a trace, as the pipeline calls it. */
function tracedRequest(tracer: GatewayTracer | null, i: number): void {
  if (!tracer) return;
  const trace = tracer.startRequest(request, `req_bench${i}`, request.path, "chat.completions");
  trace.startAttempt({
    index: 1,
    deploymentId: end.deploymentId!,
    provider: "openai",
    upstreamModel: "up-chat",
    baseUrl: "http://127.0.0.1:9/v1",
    modelName: "bench/chat",
    fallback: false,
  });
  const upstreamHeaders: Record<string, string> = { "content-type": "application/json" };
  trace.inject(upstreamHeaders);
  trace.finish(end);
}

/** Runs RATE_PER_SECOND requests a second for WINDOW_SECONDS; returns CPU µs and requests. */
async function paced(tracer: GatewayTracer | null): Promise<{ cpuUs: number; requests: number }> {
  const perTick = Math.round((RATE_PER_SECOND * TICK_MS) / 1000);
  const ticks = (WINDOW_SECONDS * 1000) / TICK_MS;
  const before = process.cpuUsage();
  let requests = 0;
  for (let t = 0; t < ticks; t++) {
    for (let i = 0; i < perTick; i++) tracedRequest(tracer, requests++);
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  const used = process.cpuUsage(before);
  return { cpuUs: used.user + used.system, requests };
}

async function collector(answer: boolean): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (answer) res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
      // Otherwise never answer: the exporter's timeout ends each export.
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main() {
  const hanging = await collector(false);
  const answering = await collector(true);
  let failedExports = 0;
  const started: Record<Exclude<Mode, "off">, Tracing> = {
    // Port 9 (discard) on loopback: nothing listens, every export is refused.
    "collector down": startTracing(
      configFor("http://127.0.0.1:9/v1/traces"),
      () => failedExports++,
    ),
    "collector hangs": startTracing(configFor(hanging.url), () => failedExports++),
    "collector answers": startTracing(configFor(answering.url), () => failedExports++),
  };
  const tracers: Record<Mode, GatewayTracer | null> = {
    off: null,
    "collector down": gatewayTracer(started["collector down"].tracer),
    "collector hangs": gatewayTracer(started["collector hangs"].tracer),
    "collector answers": gatewayTracer(started["collector answers"].tracer),
  };
  const modes = Object.keys(tracers) as Mode[];

  // Warm-up: let the JIT settle on every path.
  for (const mode of modes) for (let i = 0; i < 20_000; i++) tracedRequest(tracers[mode], i);

  const perRequest: Record<Mode, number[]> = {
    off: [],
    "collector down": [],
    "collector hangs": [],
    "collector answers": [],
  };
  for (let round = 1; round <= ROUNDS; round++) {
    // The paced loop with tracing off is the baseline of the same round.
    const off = await paced(null);
    perRequest.off.push(off.cpuUs / off.requests);
    for (const mode of modes.filter((m) => m !== "off")) {
      const on = await paced(tracers[mode]);
      perRequest[mode].push((on.cpuUs - off.cpuUs) / on.requests);
    }
    console.log(
      `round ${round}/${ROUNDS}: ` +
        modes
          .filter((m) => m !== "off")
          .map((m) => `${m} +${perRequest[m].at(-1)!.toFixed(1)} µs/req`)
          .join(", "),
    );
  }

  console.log(
    `\n${RATE_PER_SECOND} requests/s for ${WINDOW_SECONDS} s per mode, ${ROUNDS} rounds; ` +
      `CPU added per request by tracing (median over rounds, minus the same loop untraced):`,
  );
  console.log("| mode | µs/request added | min | max |");
  console.log("|---|---|---|---|");
  for (const mode of modes.filter((m) => m !== "off")) {
    const values = perRequest[mode];
    console.log(
      `| ${mode} | ${median(values).toFixed(1)} | ${Math.min(...values).toFixed(1)} | ${Math.max(...values).toFixed(1)} |`,
    );
  }
  console.log(`failed exports counted: ${failedExports}`);
  await Promise.all(Object.values(started).map((t) => t.shutdown(1_000)));
  hanging.close();
  answering.close();
}

void main();
