import { and, desc, eq, gte, ilike, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { alias, type AnyPgColumn } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { apiKeys, auditLog, teamMembers, users, type AuditEntry } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { FieldError, ForbiddenError } from "@/lib/errors/domain-errors";

export interface AuditQuery {
  /** `mine`: the actor's own actions and keys, and the teams they administer. `all`: everything (platform admins). */
  scope: "mine" | "all";
  teamId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  /** Only what this person did. */
  actorUserId?: string;
  /** Words in the action, the actor's name or email, or the details (names, emails, URLs). */
  search?: string;
  limit: number;
  /** From a previous page's `nextCursor`. */
  cursor?: string;
}

export interface AuditView extends AuditEntry {
  actorName: string | null;
  actorEmail: string | null;
}

export interface AuditPage {
  entries: AuditView[];
  nextCursor: string | null;
}

/**
 * What a user may read of the log: what they did themselves, what happened to their
 * personal keys, and everything about the teams they administer. Platform admins may ask
 * for everything.
 */
function visibleEntries(actor: Actor): SQL {
  const adminTeams = adminTeamIds(actor.user.id);
  return or(
    eq(auditLog.actorUserId, actor.user.id),
    inArray(auditLog.teamId, adminTeams),
    and(
      eq(auditLog.targetType, "api_key"),
      isNull(auditLog.teamId),
      sql`exists (select 1 from ${apiKeys} where ${apiKeys.id}::text = ${auditLog.targetId} and ${apiKeys.createdBy} = ${actor.user.id} and ${apiKeys.teamId} is null)`,
    ),
  )!;
}

function adminTeamIds(userId: string) {
  return sql`(select ${teamMembers.teamId} from ${teamMembers} where ${teamMembers.userId} = ${userId} and ${teamMembers.role} = 'admin')`;
}

/**
 * Pages by (created_at, id), newest first: stable while new rows are appended. The cursor is
 * the last entry's id; its time is read back from the row (a JavaScript Date would lose the
 * microseconds Postgres keeps, and skip rows).
 */
function encodeCursor(entry: AuditEntry): string {
  return Buffer.from(entry.id).toString("base64url");
}

function decodeCursor(cursor: string): string | null {
  const id = Buffer.from(cursor, "base64url").toString("utf8");
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id) ? id : null;
}

function searchWhere(search: string, actorUser: { name: AnyPgColumn; email: AnyPgColumn }): SQL {
  const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return or(
    ilike(auditLog.action, pattern),
    ilike(actorUser.name, pattern),
    ilike(actorUser.email, pattern),
    ilike(sql`${auditLog.details}::text`, pattern),
  )!;
}

/** The people who appear as actors in what the viewer may read, for the "Who" filter. */
export async function auditActors(
  db: Db,
  actor: Actor,
  scope: "mine" | "all",
): Promise<{ id: string; name: string }[]> {
  if (scope === "all" && actor.user.role !== "admin") return [];
  const rows = await db
    .selectDistinct({ id: users.id, name: users.name })
    .from(auditLog)
    .innerJoin(users, eq(users.id, auditLog.actorUserId))
    .where(scope === "all" ? undefined : visibleEntries(actor))
    .orderBy(users.name)
    .limit(200);
  return rows;
}

export async function listAuditLog(db: Db, actor: Actor, query: AuditQuery): Promise<AuditPage> {
  if (query.scope === "all" && actor.user.role !== "admin")
    throw new ForbiddenError("Only platform admins can read the whole audit log.");
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  if (query.cursor && !cursor)
    throw new FieldError("cursor", "is not a cursor this endpoint gave out");
  const actorUser = alias(users, "actor_user");
  const rows = await db
    .select({ entry: auditLog, actorName: actorUser.name, actorEmail: actorUser.email })
    .from(auditLog)
    .leftJoin(actorUser, eq(actorUser.id, auditLog.actorUserId))
    .where(
      and(
        query.scope === "all" ? undefined : visibleEntries(actor),
        query.teamId ? eq(auditLog.teamId, query.teamId) : undefined,
        query.action
          ? query.action.endsWith(".")
            ? sql`${auditLog.action} like ${`${query.action}%`}`
            : eq(auditLog.action, query.action)
          : undefined,
        query.targetType ? eq(auditLog.targetType, query.targetType) : undefined,
        query.targetId ? eq(auditLog.targetId, query.targetId) : undefined,
        query.from ? gte(auditLog.createdAt, query.from) : undefined,
        query.actorUserId ? eq(auditLog.actorUserId, query.actorUserId) : undefined,
        query.search ? searchWhere(query.search, actorUser) : undefined,
        query.to ? lt(auditLog.createdAt, query.to) : undefined,
        cursor
          ? sql`(${auditLog.createdAt}, ${auditLog.id}) < (select c.created_at, c.id from ${auditLog} c where c.id = ${cursor}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(query.limit + 1);
  const entries = rows
    .slice(0, query.limit)
    .map((r) => ({ ...r.entry, actorName: r.actorName, actorEmail: r.actorEmail }));
  return {
    entries,
    nextCursor: rows.length > query.limit ? encodeCursor(entries[entries.length - 1]) : null,
  };
}
