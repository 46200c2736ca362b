import { apiRoute } from "@/lib/api/route";
import { toAuditEntryObject } from "@/lib/audit/audit-view";
import { listAuditLog } from "@/lib/audit/list-audit";
import { auditLogQuery, auditPageObject } from "@/lib/audit/schemas";
import { NotFoundError } from "@/lib/errors/domain-errors";
import { isUuid } from "@/lib/teams/membership";

export const dynamic = "force-dynamic";

export const GET = apiRoute(
  {
    summary:
      "Audit entries the caller may see, newest first (platform admins: everything); `next_cursor` pages on",
    query: auditLogQuery,
    response: auditPageObject,
    // not_found: a team the caller may not see; forbidden: `scope=all` from a non-admin.
    errors: ["not_found", "forbidden"],
  },
  async ({ actor, db, query }) => {
    if (query.team_id && !isUuid(query.team_id)) throw new NotFoundError("team");
    const page = await listAuditLog(db, actor, {
      scope: query.scope ?? (actor.user.role === "admin" ? "all" : "mine"),
      teamId: query.team_id,
      action: query.action,
      targetType: query.target_type,
      targetId: query.target_id,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      limit: query.limit,
      cursor: query.cursor,
    });
    return {
      object: "list",
      data: page.entries.map(toAuditEntryObject),
      next_cursor: page.nextCursor,
    };
  },
);
