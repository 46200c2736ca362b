import { and, desc, eq, gt, inArray, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys, keyAlerts } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { visibleTo } from "@/lib/keys/key-access";
import { maskKey } from "@/lib/keys/format";
import { isUuid } from "@/lib/teams/membership";

export interface AlertNotice {
  id: string;
  keyId: string;
  keyName: string;
  keyDisplay: string;
  threshold: number;
  spend: bigint;
  spendingLimit: bigint;
  periodStart: Date;
  firedAt: Date;
}

const NOTICE_DAYS = 31;

/**
 * The dashboard's notices: alerts of the last month on keys the actor may see, for one owner
 * (personal, or a team), not yet dismissed, newest first.
 */
export async function listAlertNotices(
  db: Db,
  actor: Actor,
  teamId: string | null,
  now = new Date(),
): Promise<AlertNotice[]> {
  const rows = await db
    .select({ alert: keyAlerts, name: apiKeys.name, prefix: apiKeys.prefix, last4: apiKeys.last4 })
    .from(keyAlerts)
    .innerJoin(apiKeys, eq(apiKeys.id, keyAlerts.keyId))
    .where(
      and(
        visibleTo(actor.user.id),
        teamId ? eq(apiKeys.teamId, teamId) : isNull(apiKeys.teamId),
        isNull(keyAlerts.dismissedAt),
        gt(keyAlerts.firedAt, new Date(now.getTime() - NOTICE_DAYS * 86_400_000)),
      ),
    )
    .orderBy(desc(keyAlerts.firedAt))
    .limit(20);
  return rows.map(({ alert, name, prefix, last4 }) => ({
    id: alert.id,
    keyId: alert.keyId,
    keyName: name,
    keyDisplay: maskKey(prefix, last4),
    threshold: alert.threshold,
    spend: alert.spend,
    spendingLimit: alert.spendingLimit,
    periodStart: alert.periodStart,
    firedAt: alert.firedAt,
  }));
}

/** Hides notices from the dashboard (the alerts stay recorded). Only notices on keys the actor may see. */
export async function dismissAlertNotices(
  db: Db,
  actor: Actor,
  ids: string[],
  now = new Date(),
): Promise<number> {
  ids = ids.filter(isUuid);
  if (ids.length === 0) return 0;
  const visible = db.select({ id: apiKeys.id }).from(apiKeys).where(visibleTo(actor.user.id));
  const rows = await db
    .update(keyAlerts)
    .set({ dismissedAt: now })
    .where(
      and(
        inArray(keyAlerts.id, ids),
        inArray(keyAlerts.keyId, visible),
        isNull(keyAlerts.dismissedAt),
      ),
    )
    .returning({ id: keyAlerts.id });
  return rows.length;
}
