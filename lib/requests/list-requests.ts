import { and, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rowsOf } from "@/db/rows-of";
import { usageRecords } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { FieldError, ForbiddenError, NotFoundError } from "@/lib/errors/domain-errors";
import { loadVisibleKey } from "@/lib/keys/key-access";
import { isUuid, requireTeamMember } from "@/lib/teams/membership";
import { decodeCursor, encodeCursor } from "./cursor";
import { rowColumnsSql, toRequestRow, type RequestRow } from "./request-row";
import { everything, teamBranch, visibleBranches } from "./visible-requests";

export interface RequestFilters {
  scope: "mine" | "all";
  from?: Date;
  to?: Date;
  keyId?: string;
  teamId?: string;
  userId?: string;
  model?: string;
  deploymentId?: string;
  endpoint?: string;
  status?: string;
  errorCode?: string;
  streamed?: boolean;
  minLatencyMs?: number;
  minCost?: bigint;
  requestId?: string;
  limit: number;
  cursor?: string;
}

export interface RequestPage {
  rows: RequestRow[];
  nextCursor: string | null;
}

/**
 * The Requests list, newest first, keyset-paged on (created_at, id). Every filter is SQL on
 * the usage table; the caller's visibility is a set of branches (one per index), each read
 * newest first up to one page and merged: Postgres never sorts more than a page per branch.
 * A key refused at the door (revoked, paused, spent) makes no row (counting those never
 * writes per request, PRODUCT.md "Money"): they are counted per key and minute instead.
 */
export async function listRequests(
  db: Db,
  actor: Actor,
  filters: RequestFilters,
): Promise<RequestPage> {
  if (filters.scope === "all" && actor.user.role !== "admin")
    throw new ForbiddenError("Only platform admins can see every request.");
  const after = filters.cursor ? decodeCursor(filters.cursor) : null;
  if (filters.cursor && !after)
    throw new FieldError("cursor", "is not a cursor this endpoint gave out");

  let branches: SQL[];
  if (filters.keyId) {
    if (!isUuid(filters.keyId)) throw new NotFoundError("key");
    // A key the caller may see: all its rows are theirs to read (same rule as the key).
    if (filters.scope !== "all") await loadVisibleKey(db, actor, filters.keyId);
    branches = [eq(usageRecords.keyId, filters.keyId)];
  } else if (filters.teamId) {
    if (filters.scope === "all") {
      if (!isUuid(filters.teamId)) throw new NotFoundError("team");
      branches = [eq(usageRecords.teamId, filters.teamId)];
    } else {
      const role = await requireTeamMember(db, filters.teamId, actor.user.id);
      branches = [teamBranch(filters.teamId, role, actor.user.id)];
    }
  } else if (filters.scope === "all") {
    branches = [everything];
  } else {
    branches = await visibleBranches(db, actor);
  }

  const where = and(...filterConditions(filters), after ? beforeCursor(after) : undefined);
  const take = filters.limit + 1;
  const parts = branches.map(
    (branch) =>
      sql`(select ${rowColumnsSql} from ${usageRecords} where ${and(branch, where)}
        order by ${usageRecords.createdAt} desc, ${usageRecords.id} desc limit ${take})`,
  );
  const union = sql.join(parts, sql` union all `);
  const result = await db.execute(sql`
    select u.*, k.name as key_name, k.prefix as key_prefix, k.last4 as key_last4,
      exists (select 1 from request_payloads p where p.request_id = u.request_id) as payload_captured
    from (${union}) u
    left join api_keys k on k.id = u.key_id
    order by u.created_at desc, u.id desc
    limit ${take}`);
  const raw = rowsOf<Record<string, unknown>>(result);
  const rows = raw.slice(0, filters.limit).map(toRequestRow);
  const last = raw.length > filters.limit ? raw[filters.limit - 1] : null;
  return {
    rows,
    nextCursor: last ? encodeCursor(String(last.cursor_at), String(last.id)) : null,
  };
}

function beforeCursor(after: { at: string; id: string }): SQL {
  // A row comparison, which the (created_at, id) index walks directly.
  return sql`(${usageRecords.createdAt}, ${usageRecords.id}) < (${after.at}::timestamptz, ${after.id}::uuid)`;
}

function filterConditions(f: RequestFilters): (SQL | undefined)[] {
  const out: (SQL | undefined)[] = [];
  if (f.from) out.push(gte(usageRecords.createdAt, f.from));
  if (f.to) out.push(lt(usageRecords.createdAt, f.to));
  if (f.userId) {
    if (!isUuid(f.userId)) throw new FieldError("user_id", "is not a user id");
    out.push(eq(usageRecords.userId, f.userId));
  }
  if (f.model) out.push(eq(usageRecords.model, f.model));
  if (f.deploymentId) {
    if (!isUuid(f.deploymentId)) throw new FieldError("deployment_id", "is not a deployment id");
    out.push(eq(usageRecords.deploymentId, f.deploymentId));
  }
  if (f.endpoint) out.push(eq(usageRecords.endpoint, f.endpoint));
  if (f.status) out.push(statusCondition(f.status));
  if (f.errorCode) out.push(eq(usageRecords.errorCode, f.errorCode));
  if (f.streamed !== undefined) out.push(eq(usageRecords.streamed, f.streamed));
  if (f.minLatencyMs !== undefined) out.push(gte(usageRecords.latencyMs, f.minLatencyMs));
  if (f.minCost !== undefined) out.push(gte(usageRecords.cost, f.minCost));
  if (f.requestId) out.push(requestIdCondition(f.requestId));
  return out;
}

function statusCondition(status: string): SQL {
  switch (status) {
    case "success":
      return lt(usageRecords.status, 400);
    case "error":
      return gte(usageRecords.status, 400);
    case "4xx":
      return and(gte(usageRecords.status, 400), lt(usageRecords.status, 500))!;
    case "5xx":
      return gte(usageRecords.status, 500);
    default:
      return eq(usageRecords.status, Number(status));
  }
}

/** An id as shown in `x-request-id`, or its beginning (a row's own id matches too). */
function requestIdCondition(text: string): SQL {
  if (isUuid(text))
    return sql`(${usageRecords.id} = ${text}::uuid or ${usageRecords.requestId} = ${text})`;
  const prefix = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql`${usageRecords.requestId} like ${`${prefix}%`}`;
}
