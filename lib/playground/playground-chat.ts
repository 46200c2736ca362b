import { loggableError } from "@/lib/errors/loggable-error";
import { getDb } from "@/db/client";
import { newRequestId } from "@/lib/api/route";
import { readJsonBody } from "@/lib/api/read-json-body";
import { PLAYGROUND_MAX_BODY_BYTES } from "@/lib/server/body-caps";
import { fromZodError, toApiError } from "@/lib/api/error-response";
import { isSameOriginRequest } from "@/lib/api/same-origin";
import { auth } from "@/lib/auth";
import { chatCompletionsForKey } from "@/lib/gateway/chat-for-key";
import { getGatewayRuntime } from "@/lib/gateway/runtime";
import { toWebResponse } from "@/lib/gateway/web-adapter";
import { ApiError } from "@/lib/http/errors";
import { userOfSession, type SessionClaims } from "@/lib/auth/session-user";
import { ensurePlaygroundKey } from "./playground-key";
import { playgroundChatBody } from "./schemas";

const encoder = new TextEncoder();

/**
 * `POST /api/playground/chat`: the dashboard's chat, for a signed-in user only. The browser
 * never holds a key: the session is checked here, then the gateway runs in-process on
 * behalf of the user's own Playground key (by its stored hash), so the answer streams
 * back as the same SSE `/v1` sends and is charged and recorded like any request.
 */
export async function playgroundChat(request: Request): Promise<Response> {
  const requestId = newRequestId();
  try {
    const db = await getDb();
    const user = await userOfSession(db, (await auth()) as SessionClaims | null);
    if (!user) throw new ApiError(401, "unauthenticated", "Sign in to use the Playground.");
    // The session cookie is ambient: only a page of this server may spend with it.
    if (!isSameOriginRequest(request)) throw new ApiError(403, "forbidden", "Cross-origin requests are not allowed.");

    const parsed = playgroundChatBody.safeParse(await readJsonBody(request, PLAYGROUND_MAX_BODY_BYTES));
    if (!parsed.success) throw fromZodError(parsed.error);

    const key = await ensurePlaygroundKey(db, { user, keyId: null });
    const runtime = await getGatewayRuntime();
    const response = await chatCompletionsForKey(runtime.deps, {
      keyHash: key.keyHash,
      // Always streamed, with usage at the end so the page can show the tokens used.
      body: encoder.encode(JSON.stringify({ ...parsed.data, stream: true, stream_options: { include_usage: true } })),
      signal: request.signal,
    });
    response.headers["cache-control"] = "no-store";
    return toWebResponse(response);
  } catch (error) {
    const apiError = toApiError(error);
    if (!apiError) {
      // Never the request itself: it carries the session cookie and the user's prompts.
      console.error(JSON.stringify({ msg: "playground_error", request_id: requestId, error: loggableError(error) }));
    }
    const shown = apiError ?? new ApiError(500, "internal_error", "The server had an error while processing your request.");
    return new Response(JSON.stringify(shown.toBody()), {
      status: shown.status,
      headers: { "content-type": "application/json", "x-request-id": requestId, "cache-control": "no-store" },
    });
  }
}

