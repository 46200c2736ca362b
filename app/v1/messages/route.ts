import { gatewayRouteHandler } from "@/lib/gateway/entry/route-handler";

// Anthropic's Messages API (Claude Code, Anthropic's SDKs); the same core server.ts mounts on node:http.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = gatewayRouteHandler;
