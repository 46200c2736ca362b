import { getGatewayRuntime } from "./runtime";

/**
 * What `app/v1/**\/route.ts` exports: the process's gateway behind a Web handler. The
 * runtime (and so the database) is created on the first request, never at import time,
 * because `next build` imports every route module.
 */
export async function gatewayRouteHandler(request: Request): Promise<Response> {
  const runtime = await getGatewayRuntime();
  return runtime.handleWeb(request);
}
