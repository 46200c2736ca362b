import { randomBytes } from "node:crypto";
import { and, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { webhooks, type WebhookRow } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { FieldError, NotFoundError } from "@/lib/errors/domain-errors";
import { mayReachPrivate, namesPrivateHost } from "./private-addresses";
import { encryptCredential } from "@/lib/models/credential-crypto";
import { isUuid, requireTeamAdmin, teamRoleOf } from "@/lib/teams/membership";

/** Per user and per team (PRODUCT.md "Fair shares"): each webhook is a queue entry per event. */
export const MAX_WEBHOOKS_PER_OWNER = 20;

/** `personal` (the caller's own) or a team id. */
export type WebhookOwner = { teamId: string | null };

export interface CreatedWebhook {
  webhook: WebhookRow;
  /** The signing secret in clear: returned here only. */
  secret: string;
}

/** Personal webhooks are their user's; a team's are managed by its admins. */
async function requireOwnerAccess(
  db: Db,
  actor: Actor,
  teamId: string | null,
  doing: string,
): Promise<void> {
  if (teamId) await requireTeamAdmin(db, teamId, actor.user.id, doing);
}

function ownedBy(actor: Actor, teamId: string | null): SQL {
  return teamId
    ? eq(webhooks.teamId, teamId)
    : and(eq(webhooks.userId, actor.user.id), isNull(webhooks.teamId))!;
}

export async function createWebhook(
  db: Db,
  actor: Actor,
  input: { url: string; description?: string | null; teamId?: string | null },
): Promise<CreatedWebhook> {
  const teamId = input.teamId ?? null;
  await requireOwnerAccess(db, actor, teamId, "manage the team's webhooks");
  if (namesPrivateHost(input.url) && !(await mayReachPrivate(db, actor.user.id))) {
    throw new FieldError(
      "url",
      "Webhook URLs may not point at loopback or private addresses on this server. Use a public address (a platform admin can allow private ones).",
    );
  }
  const [{ n }] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(webhooks)
    .where(ownedBy(actor, teamId));
  if (n >= MAX_WEBHOOKS_PER_OWNER) {
    throw new FieldError(
      "url",
      `An owner has at most ${MAX_WEBHOOKS_PER_OWNER} webhooks. Delete one you no longer use first.`,
      409,
    );
  }
  const secret = `whsec_${randomBytes(24).toString("base64url")}`;
  const [row] = await db
    .insert(webhooks)
    .values({
      userId: teamId ? null : actor.user.id,
      teamId,
      url: input.url,
      description: input.description || null,
      secretCiphertext: encryptCredential(secret),
      createdBy: actor.user.id,
    })
    .returning();
  await recordAudit(db, actor, {
    action: "webhook.create",
    targetType: "webhook",
    targetId: row.id,
    teamId,
    details: { url: row.url },
  });
  return { webhook: row, secret };
}

export async function listWebhooks(
  db: Db,
  actor: Actor,
  teamId: string | null,
): Promise<WebhookRow[]> {
  await requireOwnerAccess(db, actor, teamId, "see the team's webhooks");
  return db.select().from(webhooks).where(ownedBy(actor, teamId)).orderBy(desc(webhooks.createdAt));
}

/** One webhook the caller may manage (its owner, or an admin of its team); anything else is "not found". */
export async function loadManagedWebhook(db: Db, actor: Actor, id: string): Promise<WebhookRow> {
  if (!isUuid(id)) throw new NotFoundError("webhook");
  const [row] = await db.select().from(webhooks).where(eq(webhooks.id, id)).limit(1);
  if (!row) throw new NotFoundError("webhook");
  const allowed = row.teamId
    ? (await teamRoleOf(db, row.teamId, actor.user.id)) === "admin"
    : row.userId === actor.user.id;
  if (!allowed) throw new NotFoundError("webhook");
  return row;
}

export async function deleteWebhook(db: Db, actor: Actor, id: string): Promise<void> {
  const row = await loadManagedWebhook(db, actor, id);
  await db.delete(webhooks).where(eq(webhooks.id, row.id));
  await recordAudit(db, actor, {
    action: "webhook.delete",
    targetType: "webhook",
    targetId: row.id,
    teamId: row.teamId,
    details: { url: row.url },
  });
}

/**
 * Every webhook an event for this owner goes to: not disabled, and for a team, added by
 * someone still its admin with an account still enabled (a removal or demotion disables
 * them explicitly too: admin-grants.ts; this also covers a disabled account).
 */
export async function webhooksOfOwner(
  db: Db,
  owner: { userId: string; teamId: string | null },
): Promise<WebhookRow[]> {
  const where = owner.teamId
    ? and(
        eq(webhooks.teamId, owner.teamId),
        isNull(webhooks.disabledAt),
        sql`exists (select 1 from "team_members" m join "users" u on u.id = m.user_id
          where m.team_id = "webhooks"."team_id" and m.user_id = "webhooks"."created_by"
            and m.role = 'admin' and u.disabled_at is null)`,
      )
    : and(eq(webhooks.userId, owner.userId), isNull(webhooks.teamId), isNull(webhooks.disabledAt));
  return db.select().from(webhooks).where(where);
}
