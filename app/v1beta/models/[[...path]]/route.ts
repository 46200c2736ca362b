import { gatewayRouteHandler } from "@/lib/gateway/entry/route-handler";

// Google's Gemini API (Gemini CLI, @google/genai); the same core server.ts mounts on node:http.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = gatewayRouteHandler;
export const POST = gatewayRouteHandler;
