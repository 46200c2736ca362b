import { Agent, request } from "undici";
import { env } from "@/lib/env";
import { FORBIDDEN_ADDRESS_CODE, guardedConnector } from "@/lib/net/guarded-connector";
import { processSingleton } from "@/lib/singleton";

export interface SendResult {
  /** The receiver's HTTP status, or null when no answer came (refused, timeout, forbidden address). */
  status: number | null;
  /** The full reason, for the log only: it names addresses and ports (deliveries.ts shows a generic one). */
  error: string | null;
  /** What the owner may be told when no answer came. */
  failure?: "timeout" | "connect" | "refused_address";
  durationMs: number;
}

export interface SendOptions {
  /** The owner may reach loopback and private ranges (a platform admin, or the setting). */
  allowPrivate?: boolean;
}

export type WebhookSender = (
  url: string,
  body: string,
  headers: Record<string, string>,
  options?: SendOptions,
) => Promise<SendResult>;

const TIMEOUT_MS = 10_000;

/**
 * The one way webhook POSTs leave: through the SSRF-guarded connector (the address actually
 * connected to is checked, so a name that resolves to a metadata address is refused too),
 * with a short timeout, and without following redirects (a redirect could lead anywhere).
 */
function agent(allowPrivate: boolean): Agent {
  return processSingleton(allowPrivate ? "webhooks.agent" : "webhooks.agent.public", () => {
    const allowLinkLocal = env().ALLOW_LINK_LOCAL_UPSTREAMS;
    return new Agent({
      connect:
        allowLinkLocal && allowPrivate
          ? { timeout: TIMEOUT_MS }
          : guardedConnector({ timeout: TIMEOUT_MS, refusePrivate: !allowPrivate }),
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
      keepAliveTimeout: 10_000,
    });
  });
}

export const sendWebhook: WebhookSender = async (url, body, headers, options = {}) => {
  const started = performance.now();
  try {
    // undici's request never follows redirects: a 3xx is an answer, recorded as a failure.
    const response = await request(url, {
      method: "POST",
      body,
      headers,
      dispatcher: agent(options.allowPrivate === true),
    });
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
      failure: failureKind(error),
      durationMs: Math.round(performance.now() - started),
    };
  }
};

function failureKind(error: unknown): SendResult["failure"] {
  const code = (error as { code?: unknown; cause?: { code?: unknown } } | null)?.code;
  const causeCode = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  const codes = [code, causeCode];
  if (codes.includes(FORBIDDEN_ADDRESS_CODE)) return "refused_address";
  if (codes.some((c) => typeof c === "string" && /TIMEOUT/i.test(c))) return "timeout";
  return "connect";
}
