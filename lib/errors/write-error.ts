import type { ServerResponse } from "node:http";
import { anthropicErrorBody } from "./anthropic-envelope";
import type { ApiError } from "./api-error";

/**
 * The envelopes errors go out in: OpenAI's (`/v1`'s OpenAI routes, `/api/v1`, the body cap,
 * server.ts) and Anthropic's (`/v1/messages…`, and the model list for a client that sends
 * `anthropic-version`). A new protocol with its own envelope (Google's) adds one here.
 */
export type Envelope = "openai" | "anthropic";

export interface ErrorTarget {
  envelope: Envelope;
  /** Carried in Anthropic's body (`request_id`) and in the `x-request-id` header. */
  requestId?: string;
}

/** The one serialisation of an error, per envelope: the bytes every writer sends. */
export function errorJson(error: ApiError, { envelope, requestId }: ErrorTarget): string {
  return envelope === "anthropic"
    ? JSON.stringify(anthropicErrorBody(error, requestId ?? ""))
    : error.toJson();
}

/**
 * Writes an error on a node response that has not started: its status, JSON, its length
 * when asked (a refusal that lingers before closing), and the request id when there is one.
 */
export function writeError(
  res: ServerResponse,
  error: ApiError,
  target: ErrorTarget & { contentLength?: boolean },
): void {
  const body = errorJson(error, target);
  const headers: Record<string, string | number> = { "content-type": "application/json" };
  if (target.contentLength) headers["content-length"] = Buffer.byteLength(body);
  if (target.requestId) headers["x-request-id"] = target.requestId;
  res.writeHead(error.status, headers).end(body);
}
