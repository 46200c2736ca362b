import { getDatabase } from "@/db/client";
import { AuthFailureLimiter, tooManyFailures } from "@/lib/http/auth-failure-limiter";
import { clientIpFromHeaders } from "@/lib/http/client-ip";
import { ApiError } from "@/lib/errors/api-error";
import { processSingleton } from "@/lib/singleton";
import { getSessionActor, SESSION_ENDED } from "@/lib/auth/session";
import type { Actor } from "../core/actor";
import { authenticateManagementKey } from "./management-key-auth";
import { isSameOriginRequest } from "./same-origin";

export type { Actor } from "../core/actor";

/** Which credentials a route accepts: a Management key or a session, or a session only (the Playground). */
export type Credentials = "key_or_session" | "session";

/**
 * Who is calling: a Management key (`Authorization: Bearer mb_mgmt_…`) acting for its
 * creator, or a signed-in browser session. Throws ApiError 401 (no or bad credential),
 * 403 `wrong_key_type` (a Model Serving key) or 403 `forbidden` (a cross-origin
 * state-changing request riding on a session cookie).
 */
export async function authenticateApiRequest(
  request: Request,
  credentials: Credentials = "key_or_session",
): Promise<Actor> {
  const authorization = request.headers.get("authorization");
  if (authorization !== null && credentials === "key_or_session") {
    return withFailureLimit(request, async () => {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (!match)
        throw new ApiError(
          401,
          "missing_api_key",
          "Send a Management key as `Authorization: Bearer mb_mgmt_…`.",
        );
      return authenticateManagementKey(
        (await getDatabase()).db,
        match[1],
        new Date(),
        clientIpFromHeaders(request.headers),
      );
    });
  }

  const actor = await getSessionActor();
  if (!actor) {
    throw credentials === "session"
      ? new ApiError(401, "unauthenticated", SESSION_ENDED)
      : new ApiError(
          401,
          "missing_api_key",
          "You didn't provide a credential. Send a Management key as `Authorization: Bearer mb_mgmt_…`, or sign in.",
        );
  }
  // The session cookie is ambient: only a page of this server may change things with it.
  if (!isSameOriginRequest(request)) {
    throw new ApiError(
      403,
      "forbidden",
      "Cross-origin requests with a session cookie are not allowed.",
    );
  }
  return actor;
}

/** One per process, shared by every route module (Next loads each route's bundle apart). */
const failures = () =>
  processSingleton("api-auth-failures", () => AuthFailureLimiter.fromEnv("api"));

/** A Bearer attempt from an address that keeps failing is refused before the key lookup. */
async function withFailureLimit(request: Request, attempt: () => Promise<Actor>): Promise<Actor> {
  const limiter = failures();
  if (limiter.anyBlocked) {
    const wait = limiter.retryAfter(clientIpFromHeaders(request.headers));
    if (wait > 0) throw tooManyFailures(wait);
  }
  try {
    return await attempt();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      // The failure past the budget (counted by all processes) is answered 429 itself.
      const wait = await limiter.recordFailure(clientIpFromHeaders(request.headers)).catch(() => 0);
      if (wait > 0) throw tooManyFailures(wait);
    }
    throw error;
  }
}
