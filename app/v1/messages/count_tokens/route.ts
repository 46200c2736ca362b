import { gatewayRouteHandler } from "@/lib/gateway/route-handler";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = gatewayRouteHandler;
