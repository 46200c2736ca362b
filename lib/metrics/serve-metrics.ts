import type http from "node:http";
import { env } from "@/lib/env";
import { gatewayMetrics } from "./gateway-metrics";
import { metricsAllowed } from "./metrics-access";

/** GET /metrics for server.ts, before Next: a refused caller gets a plain 404 (nothing to probe). */
export async function serveMetrics(
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const { METRICS_TOKEN, METRICS_PUBLIC } = env();
  if (
    !metricsAllowed(req.headers.authorization, { token: METRICS_TOKEN, open: METRICS_PUBLIC }) ||
    req.method !== "GET"
  ) {
    res.writeHead(404, { "content-type": "text/plain" }).end("Not found\n");
    return;
  }
  const { registry } = gatewayMetrics();
  const body = await registry.metrics();
  res
    .writeHead(200, { "content-type": registry.contentType, "cache-control": "no-store" })
    .end(body);
}
