import { gatewayRouteHandler } from "@/lib/gateway/entry/route-handler";

// GET /v1/models/{id} (OpenAI, Anthropic) and Gemini's /v1/models/{model}:method; the same
// core server.ts mounts on node:http.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = gatewayRouteHandler;
export const POST = gatewayRouteHandler;
