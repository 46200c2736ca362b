import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invites, webhookDeliveries, webhooks } from "@/db/schema";

/**
 * What a team admin set up for the team that would outlive her authority (PRODUCT.md "Who
 * may bring people in"): her pending team invites are revoked and the team webhooks she
 * added disabled (their queued deliveries dropped), when she is removed from the team or
 * demoted to member. Her team keys are the removal's own business (members.ts). Runs in
 * the caller's transaction; returns the counts the confirmation and the audit row show.
 */
export async function withdrawAdminGrants(
  tx: Db,
  teamId: string,
  userId: string,
): Promise<{ revokedInvites: number; disabledWebhooks: number }> {
  const now = new Date();
  const revoked = await tx
    .update(invites)
    .set({ revokedAt: now })
    .where(
      and(
        eq(invites.teamId, teamId),
        eq(invites.invitedBy, userId),
        isNull(invites.acceptedAt),
        isNull(invites.revokedAt),
      ),
    )
    .returning({ id: invites.id });
  const disabled = await tx
    .update(webhooks)
    .set({ disabledAt: now })
    .where(
      and(eq(webhooks.teamId, teamId), eq(webhooks.createdBy, userId), isNull(webhooks.disabledAt)),
    )
    .returning({ id: webhooks.id });
  if (disabled.length > 0) {
    await tx
      .update(webhookDeliveries)
      .set({ status: "failed", lastError: "webhook disabled: its team admin left" })
      .where(
        and(
          inArray(
            webhookDeliveries.webhookId,
            disabled.map((w) => w.id),
          ),
          eq(webhookDeliveries.status, "pending"),
        ),
      );
  }
  return { revokedInvites: revoked.length, disabledWebhooks: disabled.length };
}
