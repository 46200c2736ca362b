import type { Db } from "@/db/client";
import { auditLog } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";

export type AuditAction =
  | "key.create"
  | "key.update"
  | "key.revoke"
  | "key.pause"
  | "key.resume"
  | "key.roll"
  | "team.create"
  | "team.rename"
  | "team.delete"
  | "team.payload_capture"
  | "team.member.add"
  | "team.member.role"
  | "team.member.remove"
  | "user.role"
  | "user.disable"
  | "user.enable"
  | "balance.included"
  | "balance.credit"
  | "balance.overage"
  | "invite.create"
  | "invite.revoke"
  | "invite.accept"
  | "settings.update"
  | "user.password"
  | "user.profile"
  | "model.create"
  | "model.update"
  | "webhook.create"
  | "webhook.delete"
  | "webhook.test";

export interface AuditEvent {
  action: AuditAction;
  targetType:
    | "api_key"
    | "team"
    | "team_member"
    | "user"
    | "billing_account"
    | "invite"
    | "settings"
    | "model"
    | "webhook";
  targetId: string;
  teamId?: string | null;
  /** What changed. Never a raw key or a credential: callers pass names, amounts and ids only. */
  details?: Record<string, unknown>;
}

/** Appends one audit row naming the user and, for a Management key request, the key it came through. */
export async function recordAudit(db: Db, actor: Actor, event: AuditEvent): Promise<void> {
  await db.insert(auditLog).values({
    actorUserId: actor.user.id,
    actorKeyId: actor.keyId,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    teamId: event.teamId ?? null,
    details: event.details ? wellFormed(event.details) : null,
  });
}

/**
 * jsonb refuses a lone surrogate (22P02): a detail that slipped past the schemas (a field
 * added later without plainString) is stored with U+FFFD in its place rather than fail the
 * action it records.
 */
function wellFormed<T>(value: T): T {
  if (typeof value === "string") return value.toWellFormed() as T;
  if (Array.isArray(value)) return value.map(wellFormed) as T;
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k.toWellFormed(), wellFormed(v)]),
    ) as T;
  }
  return value;
}
