import { DEFAULT_PROVIDER, type ProviderId } from "@/lib/core/providers";
import { isBuiltinModelUrl } from "./schemas";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { models } from "@/db/schema";
import { NotFoundError } from "@/lib/errors/domain-errors";
import { env } from "@/lib/env";
import { connectionProbe } from "./connection-probe";
import { decryptCredential } from "./credential-crypto";
import { forbiddenUpstreamReason } from "./upstream-address";

/** What "Test connection" reports: whether the upstream answered with the credential, in words. */
export const connectionTestObject = z.object({
  ok: z.boolean(),
  /** The upstream's HTTP status, when it answered at all. */
  status: z.number().int().nullable(),
  message: z.string(),
});
export type ConnectionTest = z.infer<typeof connectionTestObject>;

/** Values typed in the form but not saved yet; each one absent means "the stored one". */
export interface ConnectionOverrides {
  base_url?: string;
  api_key?: string | null;
  upstream_model?: string;
  provider?: ProviderId;
}

const TIMEOUT_MS = 10_000;

/**
 * Asks the upstream for its model list, which every provider answers, costs nothing and
 * needs the same credential as a chat: `GET {base_url}/models` with a Bearer token for an
 * OpenAI-compatible server, `GET /v1/models` with `x-api-key` for Anthropic (connection-probe.ts).
 */
export async function testUpstream(target: {
  baseUrl: string;
  apiKey: string | null;
  upstreamModel: string;
  provider?: ProviderId;
}): Promise<ConnectionTest> {
  if (isBuiltinModelUrl(target.baseUrl))
    return { ok: true, status: null, message: "The built-in model answers in-process." };
  const probe = connectionProbe({
    provider: target.provider ?? DEFAULT_PROVIDER,
    baseUrl: target.baseUrl,
    apiKey: target.apiKey,
  });
  let url: URL;
  try {
    url = new URL(probe.url);
    if (!/^https?:$/.test(url.protocol)) throw new Error("not http");
  } catch {
    return { ok: false, status: null, message: "The base URL is not an http:// or https:// URL." };
  }
  const forbidden = env().ALLOW_LINK_LOCAL_UPSTREAMS ? null : forbiddenUpstreamReason(url.href);
  if (forbidden) return { ok: false, status: null, message: `The base URL ${forbidden}.` };
  let response: Response;
  try {
    response = await fetch(url, {
      headers: probe.headers,
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    if ((error as Error).name === "TimeoutError")
      return { ok: false, status: null, message: `No answer within ${TIMEOUT_MS / 1000} seconds.` };
    return {
      ok: false,
      status: null,
      message: `Could not reach the server: ${transportReason(error)}.`,
    };
  }
  const body = await response.text().catch(() => "");
  if (response.status === 401 || response.status === 403) {
    return {
      ok: false,
      status: response.status,
      message: `The server refused the credential (HTTP ${response.status}).`,
    };
  }
  if (!response.ok)
    return {
      ok: false,
      status: response.status,
      message: `The server answered HTTP ${response.status} to GET ${url.pathname}.`,
    };
  const listed = modelIds(body);
  if (listed && listed.length > 0 && !listed.includes(target.upstreamModel)) {
    return {
      ok: true,
      status: response.status,
      message: `Connected, but the server does not list "${target.upstreamModel}".`,
    };
  }
  return {
    ok: true,
    status: response.status,
    message: "Connected: the server answered with this credential.",
  };
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host name not found",
  EAI_AGAIN: "host name lookup failed",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
};

/** fetch says only "fetch failed": the reason is in its cause (or, for several addresses, in the cause's errors). */
function transportReason(error: unknown): string {
  const cause = (
    error as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }
  ).cause;
  const code = cause?.code ?? cause?.errors?.find((e) => e.code)?.code;
  if (code) return REASONS[code] ?? code;
  return cause?.message ?? (error as Error).message;
}

function modelIds(body: string): string[] | null {
  try {
    const parsed = JSON.parse(body) as { data?: { id?: unknown }[] };
    return Array.isArray(parsed.data) ? parsed.data.map((m) => String(m?.id ?? "")) : null;
  } catch {
    return null;
  }
}

/** Tests a registered model, with the stored credential unless the form holds a new one (or asks to remove it). */
export async function testModelConnection(
  database: Database,
  id: string,
  overrides: ConnectionOverrides = {},
): Promise<ConnectionTest> {
  const [row] = z.uuid().safeParse(id).success
    ? await database.db.select().from(models).where(eq(models.id, id)).limit(1)
    : [];
  if (!row) throw new NotFoundError("model");
  const stored = row.apiKeyEncrypted ? decryptCredential(row.apiKeyEncrypted) : null;
  return testUpstream({
    baseUrl: overrides.base_url ?? row.baseUrl,
    apiKey: overrides.api_key === undefined ? stored : overrides.api_key,
    upstreamModel: overrides.upstream_model ?? row.upstreamModel ?? row.name,
    provider: overrides.provider ?? row.provider,
  });
}
