import { gatewayMetrics } from "@/lib/metrics/gateway-metrics";
import { tokenMatches } from "@/lib/metrics/metrics-access";

export const dynamic = "force-dynamic";

/**
 * /metrics under `next dev` / `next start` (in production server.ts answers it before Next,
 * allowing loopback too). Here the socket's address is not known — any address header could
 * be a client's — so only `Authorization: Bearer <METRICS_TOKEN>` opens it.
 */
export async function GET(request: Request) {
  if (!tokenMatches(request.headers.get("authorization") ?? undefined, process.env.METRICS_TOKEN)) {
    return new Response("Not found\n", { status: 404, headers: { "content-type": "text/plain" } });
  }
  const { registry } = gatewayMetrics();
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
}
