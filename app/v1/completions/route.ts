import { gatewayRouteHandler } from "@/lib/gateway/entry/route-handler";

// The same core server.ts mounts on node:http; this adapter serves `next dev` and `next start`.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = gatewayRouteHandler;
