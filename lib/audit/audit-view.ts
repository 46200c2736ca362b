import type { AuditView } from "./list-audit";

export function toAuditEntryObject(entry: AuditView) {
  return {
    id: entry.id,
    action: entry.action,
    target_type: entry.targetType,
    target_id: entry.targetId,
    team_id: entry.teamId,
    actor: {
      user_id: entry.actorUserId,
      name: entry.actorName,
      email: entry.actorEmail,
      key_id: entry.actorKeyId,
    },
    details: entry.details,
    created_at: entry.createdAt.toISOString(),
  };
}
