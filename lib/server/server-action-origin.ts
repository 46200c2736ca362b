import type http from "node:http";
import { isSameOriginRequest } from "@/lib/api/same-origin";

/**
 * A server action (a POST carrying `Next-Action`) from another origin. Next refuses it by
 * throwing, which answered 500 (issue 27 item 15); server.ts answers it 403 before Next sees
 * it, by the same same-origin rule as /api/v1's cookie requests (lib/api/same-origin.ts).
 */
export function isCrossOriginServerAction(req: http.IncomingMessage): boolean {
  if ((req.method ?? "GET").toUpperCase() !== "POST" || !req.headers["next-action"]) return false;
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
  }
  const host = /^[A-Za-z0-9.:[\]-]+$/.test(req.headers.host ?? "") ? req.headers.host : "localhost";
  const protocol = (req.socket as { encrypted?: boolean }).encrypted ? "https" : "http";
  return !isSameOriginRequest(
    new Request(`${protocol}://${host}${req.url ?? "/"}`, { method: "POST", headers }),
  );
}

export function refuseCrossOriginAction(res: http.ServerResponse): void {
  res.writeHead(403, { "content-type": "application/json" }).end(
    JSON.stringify({
      error: {
        message: "Cross-origin requests with a session cookie are not allowed.",
        type: "invalid_request_error",
        param: null,
        code: "forbidden",
      },
    }),
  );
}
