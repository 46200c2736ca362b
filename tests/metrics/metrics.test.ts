import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { metricsAllowed } from "@/lib/metrics/metrics-access";
import { serveMetrics } from "@/lib/metrics/serve-metrics";
import {
  client,
  createKey,
  createUser,
  registerFakeModels,
  startHarness,
  type Harness,
} from "../helpers/harness";

/**
 * GET /metrics (Prometheus text, prom-client) after real /v1 traffic through the gateway:
 * the counters move by what was sent, and who may read them is checked.
 */
let h: Harness;
let key: string;
let metricsServer: http.Server;
let metricsUrl: string;
const token = "metrics-token-0123456789abcdef";

beforeAll(async () => {
  process.env.METRICS_TOKEN = token;
  delete process.env.METRICS_PUBLIC;
  resetEnvCache();
  h = await startHarness();
  await registerFakeModels(h.database, h.upstream.url, ["json", "error-500"]);
  key = (await createKey(h.database, { userId: (await createUser(h.database)).id })).key;
  metricsServer = http.createServer((req, res) => void serveMetrics(req, res));
  await new Promise<void>((resolve) => metricsServer.listen(0, "127.0.0.1", resolve));
  metricsUrl = `http://127.0.0.1:${(metricsServer.address() as AddressInfo).port}/metrics`;
});

afterAll(async () => {
  await new Promise((resolve) => metricsServer?.close(resolve));
  await h?.close();
  delete process.env.METRICS_TOKEN;
  resetEnvCache();
});

/** The sample `name{labels}` in Prometheus text, 0 when absent. Labels match as a subset. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const found = Object.fromEntries(
      [...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v))
      total += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return total;
}

async function scrape(): Promise<string> {
  const response = await fetch(metricsUrl, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain");
  return response.text();
}

const ask = (model: string, apiKey = key) =>
  client(h.baseURL, apiKey)
    .chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] })
    .then(
      () => 200,
      (error: { status?: number }) => error.status ?? 0,
    );

describe("GET /metrics", () => {
  it("counts requests by route, status and model; upstream errors; tokens and spend; latency split; key cache", async () => {
    const before = await scrape();
    for (let i = 0; i < 3; i++) expect(await ask("fake/json")).toBe(200);
    expect(await ask("fake/error-500")).toBe(502);
    expect(await ask("a-model-name-nobody-registered")).toBe(404);
    await h.runtime.flush();
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) =>
      sample(after, name, labels) - sample(before, name, labels);

    expect(
      delta("modelbridge_requests_total", {
        route: "chat.completions",
        status: "200",
        model: "fake/json",
      }),
    ).toBe(3);
    expect(
      delta("modelbridge_requests_total", {
        route: "chat.completions",
        status: "502",
        model: "fake/error-500",
      }),
    ).toBe(1);
    expect(
      delta("modelbridge_upstream_errors_total", {
        model: "fake/error-500",
        code: "upstream_error",
      }),
    ).toBe(1);
    expect(
      delta("modelbridge_tokens_total", { model: "fake/json", kind: "prompt" }),
    ).toBeGreaterThan(0);
    expect(
      delta("modelbridge_tokens_total", { model: "fake/json", kind: "completion" }),
    ).toBeGreaterThan(0);
    expect(delta("modelbridge_spend_micro_units_total", { model: "fake/json" })).toBeGreaterThan(0);
    expect(delta("modelbridge_gateway_seconds_count", { route: "chat.completions" })).toBe(5);
    expect(delta("modelbridge_upstream_seconds_count", { model: "fake/json" })).toBe(3);
    expect(delta("modelbridge_key_cache_lookups_total", { result: "hit" })).toBeGreaterThanOrEqual(
      4,
    );
    expect(
      sample(after, "modelbridge_key_cache_lookups_total", { result: "miss" }),
    ).toBeGreaterThanOrEqual(1);
    // Its rise during a database outage is asserted in tests/gateway/database-outage.test.ts.
    expect(after).toMatch(/^modelbridge_usage_records_pending \d+$/m);
    // An unknown model name is counted as "none": clients cannot grow the label set.
    expect(after).not.toContain("a-model-name-nobody-registered");
  });
});

describe("who may read /metrics", () => {
  it("needs the token even from loopback (a proxy or any process on this host arrives from there)", async () => {
    // This very request comes from 127.0.0.1.
    const bare = await fetch(metricsUrl);
    expect(bare.status).toBe(404);
    expect(await bare.text()).not.toContain("modelbridge_");
    const wrong = await fetch(metricsUrl, { headers: { authorization: "Bearer wrong" } });
    expect(wrong.status).toBe(404);
  });

  it("opens only with the bearer token, or when the operator opened it on purpose (METRICS_PUBLIC=1)", () => {
    expect(metricsAllowed(undefined, { token, open: false })).toBe(false);
    expect(metricsAllowed(`Bearer ${token}`, { token, open: false })).toBe(true);
    expect(metricsAllowed("Bearer wrong", { token, open: false })).toBe(false);
    // No token configured: a bearer of anything (even empty) opens nothing.
    expect(metricsAllowed("Bearer ", { token: undefined, open: false })).toBe(false);
    expect(metricsAllowed(undefined, { token: undefined, open: true })).toBe(true);
  });

  it("a refused caller gets a plain 404 and no metrics", async () => {
    const response = await fetch(metricsUrl, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("modelbridge_");
  });
});
