import { apiRoute } from "@/lib/api/route";
import { chatCompletionsForKey } from "@/lib/gateway/entry/chat-for-key";
import { getGatewayRuntime } from "@/lib/gateway/entry/runtime";
import { toWebResponse } from "@/lib/gateway/entry/web-adapter";
import { PLAYGROUND_MAX_BODY_BYTES } from "@/lib/server/body-caps";
import { ensurePlaygroundKey } from "../playground/playground-key";
import { playgroundChatBody } from "../playground/schemas";

const encoder = new TextEncoder();

/**
 * `POST /api/playground/chat`: the dashboard's chat, for a signed-in user only. The browser
 * never holds a key: the session is checked (and the request's origin, the cookie being
 * ambient), then the gateway runs in-process on behalf of the user's own Playground key
 * (by its stored hash), so the answer streams back as the same SSE `/v1` sends and is
 * charged and recorded like any request.
 */
export const playgroundChat = apiRoute(
  { credentials: "session", body: playgroundChatBody, maxBodyBytes: PLAYGROUND_MAX_BODY_BYTES },
  async ({ actor, db, body, request }) => {
    const key = await ensurePlaygroundKey(db, actor);
    const runtime = await getGatewayRuntime();
    const response = await chatCompletionsForKey(runtime.deps, {
      keyHash: key.keyHash,
      // Always streamed, with usage at the end so the page can show the tokens used.
      body: encoder.encode(
        JSON.stringify({ ...body, stream: true, stream_options: { include_usage: true } }),
      ),
      signal: request.signal,
    });
    response.headers["cache-control"] = "no-store";
    return toWebResponse(response);
  },
);
