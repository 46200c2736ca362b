import { eq } from "drizzle-orm";
import { request as undiciRequest } from "undici";
import type { Database } from "@/db/client";
import { models } from "@/db/schema";
import { ApiError } from "@/lib/http/errors";
import { decryptCredential } from "./credential-crypto";
import { BUILTIN_ECHO_URL } from "./schemas";
import { forbiddenUpstreamReason } from "./upstream-address";

/**
 * "Test connection": asks the model's server for its model list — a request every provider
 * answers, that costs no tokens and needs the credential — in the provider's own terms
 * (OpenAI-compatible: `GET <base>/models` with a Bearer token; Anthropic: `GET /v1/models`
 * with `x-api-key` and `anthropic-version`). Says what happened in words an admin can act
 * on; never returns or logs the credential.
 */
export interface ConnectionResult {
  ok: boolean;
  /** The upstream's HTTP status, when it answered. */
  status: number | null;
  message: string;
  latency_ms: number;
}

const TIMEOUT_MS = 10_000;

export async function testModelConnection(database: Database, id: string): Promise<ConnectionResult> {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const [row] = uuid.test(id) ? await database.db.select().from(models).where(eq(models.id, id)).limit(1) : [];
  if (!row) throw new ApiError(404, "not_found", "No such model");
  if (row.baseUrl === BUILTIN_ECHO_URL) return { ok: true, status: null, message: "The built-in demo model answers in-process.", latency_ms: 0 };
  const forbidden = forbiddenUpstreamReason(row.baseUrl);
  if (forbidden) return { ok: false, status: null, message: `The base URL is not allowed: ${forbidden}`, latency_ms: 0 };

  const apiKey = row.apiKeyEncrypted ? decryptCredential(row.apiKeyEncrypted) : null;
  const anthropic = row.provider === "anthropic";
  const url = anthropic ? `${row.baseUrl.replace(/\/v1$/, "")}/v1/models` : `${row.baseUrl}/models`;
  const headers: Record<string, string> = { accept: "application/json" };
  if (anthropic) {
    headers["anthropic-version"] = "2023-06-01";
    if (apiKey) headers["x-api-key"] = apiKey;
  } else if (apiKey) headers.authorization = `Bearer ${apiKey}`;

  const started = Date.now();
  const elapsed = () => Date.now() - started;
  try {
    const response = await undiciRequest(url, { method: "GET", headers, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS });
    await response.body.dump();
    const status = response.statusCode;
    if (status >= 200 && status < 300) return { ok: true, status, message: `Connected: the server answered ${status}.`, latency_ms: elapsed() };
    const why =
      status === 401 || status === 403
        ? "the server refused the credential"
        : status === 404
          ? `no model list at ${url}; check the base URL${anthropic ? " (Anthropic's is https://api.anthropic.com)" : " (it usually ends in /v1)"}`
          : "the server answered with an error";
    return { ok: false, status, message: `Not connected: ${why} (HTTP ${status}).`, latency_ms: elapsed() };
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    const why = /TIMEOUT/.test(code) ? "it did not answer in time" : "it could not be reached";
    return { ok: false, status: null, message: `Not connected: ${why} (${code || (error as Error).message}).`, latency_ms: elapsed() };
  }
}
