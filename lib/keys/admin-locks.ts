import type { Db } from "@/db/client";
import type { Actor } from "@/lib/core/actor";
import { ForbiddenError } from "@/lib/errors/domain-errors";
import { teamRoleOf } from "@/lib/teams/membership";
import type { KeyWithCreator } from "./key-access";

/**
 * "A team admin's word binds" (PRODUCT.md, issue 27 item 8): a limit, allowed models, rate
 * limits, IP ranges, expiry or budget period a team admin sets on a member's team key, and
 * a pause, cannot be undone by that member. The fields an admin set are kept on the key
 * (`locked_controls`); the member may still rename, roll, pause or revoke it.
 */
export const LOCKABLE_CONTROLS = [
  "spending_limit",
  "expires_at",
  "allowed_models",
  "rate_limits",
  "budget_period",
  "ip_allowlist",
] as const;

const LABELS: Record<string, string> = {
  spending_limit: "spending limit",
  expires_at: "expiry",
  allowed_models: "allowed models",
  rate_limits: "rate limits",
  budget_period: "budget period",
  ip_allowlist: "IP allowlist",
};

/** Whether the actor acts as a team admin on this key (a team key, the actor an admin of its team). */
export async function actsAsTeamAdmin(db: Db, actor: Actor, key: KeyWithCreator): Promise<boolean> {
  if (!key.teamId) return false;
  return (await teamRoleOf(db, key.teamId, actor.user.id)) === "admin";
}

/**
 * The locks after this change: a team admin changing a member's key adds the fields it
 * changed; the member changing a locked field is refused.
 */
export async function applyAdminLocks(
  db: Db,
  actor: Actor,
  key: KeyWithCreator,
  changed: readonly string[],
): Promise<string[] | null> {
  const lockable = changed.filter((f) => (LOCKABLE_CONTROLS as readonly string[]).includes(f));
  if (lockable.length === 0 || !key.teamId) return null;
  if (await actsAsTeamAdmin(db, actor, key)) {
    if (key.createdBy === actor.user.id) return null;
    const next = [...new Set([...key.lockedControls, ...lockable])];
    return next.length === key.lockedControls.length ? null : next;
  }
  const locked = lockable.filter((f) => key.lockedControls.includes(f));
  if (locked.length > 0) {
    throw new ForbiddenError(
      `A team admin set this key's ${locked.map((f) => LABELS[f]).join(" and ")}; only a team admin can change ${locked.length > 1 ? "them" : "it"}.`,
    );
  }
  return null;
}

/** A key a team admin paused (not the member herself) stays paused until a team admin resumes it. */
export async function checkResume(db: Db, actor: Actor, key: KeyWithCreator): Promise<void> {
  if (!key.teamId || key.pausedBy === null || key.pausedBy === actor.user.id) return;
  if (await actsAsTeamAdmin(db, actor, key)) return;
  throw new ForbiddenError("A team admin paused this key; only a team admin can resume it.");
}
