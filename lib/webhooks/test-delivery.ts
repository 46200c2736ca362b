import type { Db } from "@/db/client";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { webhookDeliveries, webhooks, type WebhookDeliveryRow, type WebhookRow } from "@/db/schema";
import { DomainError } from "@/lib/errors/domain-errors";
import type { Actor } from "@/lib/core/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { attemptDelivery, enqueueDeliveries, type DeliveryDeps } from "./deliveries";
import { sendWebhook } from "./send";
import { loadManagedWebhook } from "./webhooks";

/** Test sends per owner (a user's own webhooks, or a team's) in any minute. */
export const TEST_SENDS_PER_MINUTE = 5;

/**
 * Test sends are rate limited per owner: each is an outbound request on the owner's say-so
 * (40 of them to a receiver that never answers used to delay everyone's alerts). Counted
 * from the deliveries table, so the limit holds across processes.
 */
async function limitTestSends(db: Db, webhook: WebhookRow, now: Date): Promise<void> {
  const owner = webhook.teamId
    ? eq(webhooks.teamId, webhook.teamId)
    : and(eq(webhooks.userId, webhook.userId!), isNull(webhooks.teamId));
  const [{ n }] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(
      and(
        owner,
        eq(webhookDeliveries.event, "webhook.test"),
        gt(webhookDeliveries.createdAt, new Date(now.getTime() - 60_000)),
      ),
    );
  if (n >= TEST_SENDS_PER_MINUTE) {
    throw new DomainError(
      "rate_limit_exceeded",
      `At most ${TEST_SENDS_PER_MINUTE} test sends a minute; try again in a minute.`,
    );
  }
}

/**
 * Sends a `webhook.test` event now and answers with the outcome, so the person setting up a
 * receiver sees at once whether it answered (and what). A failure is retried like any other.
 */
export async function sendTestDelivery(
  db: Db,
  actor: Actor,
  webhookId: string,
  deps: DeliveryDeps = { send: sendWebhook, now: () => new Date() },
): Promise<WebhookDeliveryRow> {
  const webhook = await loadManagedWebhook(db, actor, webhookId);
  await limitTestSends(db, webhook, deps.now());
  const [queued] = await enqueueDeliveries(
    db,
    [webhook],
    "webhook.test",
    { message: "A test event from ModelBridge.", webhook_id: webhook.id },
    deps.now(),
    { claimed: true },
  );
  await recordAudit(db, actor, {
    action: "webhook.test",
    targetType: "webhook",
    targetId: webhook.id,
    teamId: webhook.teamId,
  });
  return attemptDelivery(db, queued, webhook, deps);
}
