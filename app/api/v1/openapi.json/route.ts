import { buildOpenApiDocument } from "@/lib/api/openapi";
import { env } from "@/lib/env";
import { managementRouteModules } from "./route-modules";

export const dynamic = "force-dynamic";

/** Public: the document describes the API, it grants nothing. */
export function GET(request: Request): Response {
  const server = env().PUBLIC_URL?.replace(/\/+$/, "") ?? new URL(request.url).origin;
  return Response.json(buildOpenApiDocument(server, managementRouteModules), {
    headers: { "cache-control": "no-store" },
  });
}
