import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { parseMoney } from "@/lib/core/money";
import { FieldError } from "@/lib/errors/domain-errors";
import { isUuid } from "@/lib/teams/membership";
import { listRequests, type RequestPage } from "./list-requests";
import { STATUS_FILTERS } from "./schemas";

/** The Requests pages' filters, as the GET form and its URL carry them (all strings). */
export interface RequestsPageFilters {
  q: string;
  status: string;
  model: string;
  endpoint: string;
  streamed: string;
  key: string;
  team: string;
  from: string;
  to: string;
  min_ms: string;
  /** A user's email (Admin → Requests only): requests of the keys they created. */
  user: string;
  deployment: string;
  /** "Costlier than": an amount in currency units, as typed. */
  min_cost: string;
  error_code: string;
  /** Rows per page: one of PAGE_SIZES, as text ("" is the default 50). */
  per: string;
  cursor?: string;
}

export const PAGE_SIZES = ["10", "25", "50", "100"] as const;

type Params = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (typeof value === "string" ? value : "");
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = (value: string) => (DAY.test(value) && !Number.isNaN(Date.parse(value)) ? value : "");
const text = (value: string, max: number) =>
  value
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .trim()
    .slice(0, max);

export const ENDPOINTS = [
  "chat.completions",
  "responses",
  "messages",
  "completions",
  "embeddings",
  "models",
] as const;

/**
 * The page's search params, allow-listed: anything that does not parse is dropped (the page
 * shows everything rather than an error), the same way the audit log's viewer does.
 */
export function requestsPageParams(params: Params): RequestsPageFilters {
  const status = one(params.status);
  const minMs = one(params.min_ms);
  return {
    q: text(one(params.q), 100),
    status:
      (STATUS_FILTERS as readonly string[]).includes(status) || /^[1-5]\d\d$/.test(status)
        ? status
        : "",
    model: text(one(params.model), 200),
    endpoint: text(one(params.endpoint), 64),
    streamed: ["true", "false"].includes(one(params.streamed)) ? one(params.streamed) : "",
    key: isUuid(one(params.key)) ? one(params.key) : "",
    team: isUuid(one(params.team)) ? one(params.team) : "",
    from: day(one(params.from)),
    to: day(one(params.to)),
    min_ms: /^\d{1,8}$/.test(minMs) ? minMs : "",
    // Kept as typed (capped): a wrong value is shown back with its error next to the field.
    user: text(one(params.user), 254),
    deployment: text(one(params.deployment), 64),
    min_cost: text(one(params.min_cost), 32),
    error_code: text(one(params.error_code), 64),
    per: (PAGE_SIZES as readonly string[]).includes(one(params.per)) ? one(params.per) : "",
    cursor: one(params.cursor) && one(params.cursor).length <= 200 ? one(params.cursor) : undefined,
  };
}

/** Errors by filter field; the page shows them next to their fields and lists nothing. */
export type FilterErrors = Partial<
  Record<"user" | "deployment" | "min_cost" | "error_code", string>
>;

const ERROR_CODE = /^[A-Za-z0-9_.:-]+$/;

/**
 * The typed filters turned into what the query takes, or what is wrong with each. The user
 * filter is an email (people know their colleagues' emails, not their ids) and applies on
 * Admin → Requests only.
 */
async function checkedFilters(db: Db, scope: "mine" | "all", f: RequestsPageFilters) {
  const errors: FilterErrors = {};
  let userId: string | undefined;
  if (scope === "all" && f.user) {
    const [user] = await db
      .select({ id: users.id })
      .from(users)
      // Stored lower-cased (lib/users/schemas.ts), so the unique index answers.
      .where(eq(users.email, f.user.toLowerCase()))
      .limit(1);
    if (user) userId = user.id;
    else errors.user = "No user has this email.";
  }
  if (f.deployment && !isUuid(f.deployment))
    errors.deployment = "Choose a deployment from the list.";
  let minCost: bigint | undefined;
  if (f.min_cost) {
    const micros = parseMoney(f.min_cost);
    if (micros === null || micros < 0n) errors.min_cost = "Enter an amount like 0.01";
    else minCost = micros;
  }
  if (f.error_code && !ERROR_CODE.test(f.error_code))
    errors.error_code = "Enter an error code like rate_limit_exceeded";
  return { errors, userId, minCost };
}

/** A page of requests for a viewer; a bad cursor shows the newest page instead of an error. */
export async function loadRequestsPage(
  db: Db,
  actor: Actor,
  scope: "mine" | "all",
  f: RequestsPageFilters,
): Promise<RequestPage & { fieldErrors: FilterErrors }> {
  const checked = await checkedFilters(db, scope, f);
  if (Object.keys(checked.errors).length > 0)
    return { rows: [], nextCursor: null, fieldErrors: checked.errors };
  const query = {
    scope,
    requestId: f.q || undefined,
    status: f.status || undefined,
    model: f.model || undefined,
    endpoint: f.endpoint || undefined,
    streamed: f.streamed ? f.streamed === "true" : undefined,
    keyId: f.key || undefined,
    teamId: f.team || undefined,
    userId: checked.userId,
    deploymentId: f.deployment || undefined,
    minCost: checked.minCost,
    errorCode: f.error_code || undefined,
    from: f.from ? new Date(`${f.from}T00:00:00Z`) : undefined,
    to: f.to ? new Date(Date.parse(`${f.to}T00:00:00Z`) + 86_400_000) : undefined,
    minLatencyMs: f.min_ms ? Number(f.min_ms) : undefined,
    limit: f.per ? Number(f.per) : 50,
  } as const;
  try {
    return { ...(await listRequests(db, actor, { ...query, cursor: f.cursor })), fieldErrors: {} };
  } catch (error) {
    if (error instanceof FieldError && f.cursor)
      return { ...(await listRequests(db, actor, query)), fieldErrors: {} };
    throw error;
  }
}
