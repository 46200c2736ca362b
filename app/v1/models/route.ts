import { gatewayRouteHandler } from "@/lib/gateway/entry/route-handler";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = gatewayRouteHandler;
