import { Agent, request } from "undici";
import { env } from "@/lib/env";
import { guardedConnector } from "@/lib/net/guarded-connector";
import { processSingleton } from "@/lib/singleton";

export interface SendResult {
  /** The receiver's HTTP status, or null when no answer came (refused, timeout, forbidden address). */
  status: number | null;
  error: string | null;
  durationMs: number;
}

export type WebhookSender = (
  url: string,
  body: string,
  headers: Record<string, string>,
) => Promise<SendResult>;

const TIMEOUT_MS = 10_000;

/**
 * The one way webhook POSTs leave: through the SSRF-guarded connector (the address actually
 * connected to is checked, so a name that resolves to a metadata address is refused too),
 * with a short timeout, and without following redirects (a redirect could lead anywhere).
 */
function agent(): Agent {
  return processSingleton("webhooks.agent", () => {
    const allowLinkLocal = env().ALLOW_LINK_LOCAL_UPSTREAMS;
    return new Agent({
      connect: allowLinkLocal ? { timeout: TIMEOUT_MS } : guardedConnector({ timeout: TIMEOUT_MS }),
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
      keepAliveTimeout: 10_000,
    });
  });
}

export const sendWebhook: WebhookSender = async (url, body, headers) => {
  const started = performance.now();
  try {
    // undici's request never follows redirects: a 3xx is an answer, recorded as a failure.
    const response = await request(url, { method: "POST", body, headers, dispatcher: agent() });
    // The answer's body is not ours to keep: drain it so the connection can be reused.
    await response.body.dump({ limit: 64 * 1024 }).catch(() => {});
    return {
      status: response.statusCode,
      error: null,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      status: null,
      error: message.slice(0, 500),
      durationMs: Math.round(performance.now() - started),
    };
  }
};
