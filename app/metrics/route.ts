import { env } from "@/lib/env";
import { gatewayMetrics } from "@/lib/metrics/gateway-metrics";
import { metricsAllowed } from "@/lib/metrics/metrics-access";

export const dynamic = "force-dynamic";

/** /metrics under `next dev` / `next start` (in production server.ts answers it before Next), same rule. */
export async function GET(request: Request) {
  const { METRICS_TOKEN, METRICS_PUBLIC } = env();
  if (
    !metricsAllowed(request.headers.get("authorization") ?? undefined, {
      token: METRICS_TOKEN,
      open: METRICS_PUBLIC,
    })
  ) {
    return new Response("Not found\n", { status: 404, headers: { "content-type": "text/plain" } });
  }
  const { registry } = gatewayMetrics();
  return new Response(await registry.metrics(), {
    headers: { "content-type": registry.contentType, "cache-control": "no-store" },
  });
}
