import { and, desc, eq, inArray, lte, or, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { webhookDeliveries, type WebhookDeliveryRow, type WebhookRow } from "@/db/schema";
import { decryptCredential } from "@/lib/models/credential-crypto";
import { MAX_ATTEMPTS, retryDelayMs } from "./backoff";
import { signPayload, SIGNATURE_HEADER } from "./signature";
import type { WebhookSender } from "./send";

/** How long a claimed delivery is left alone by other workers: well past the send timeout. */
const CLAIM_MS = 60_000;

export interface DeliveryDeps {
  send: WebhookSender;
  now: () => Date;
}

/** The body POSTed: what happened, when, and the event's own fields. */
export function deliveryBody(
  delivery: Pick<WebhookDeliveryRow, "id" | "event" | "payload" | "createdAt">,
): string {
  return JSON.stringify({
    id: delivery.id,
    type: delivery.event,
    created_at: delivery.createdAt.toISOString(),
    data: delivery.payload,
  });
}

/**
 * Queues one event for each webhook; the rows are the durable record and the retry queue.
 * `claimed`: the caller attempts the rows itself at once, so they are inserted already
 * claimed (as `claimDueDeliveries` would), and no worker polling meanwhile sends them too.
 */
export async function enqueueDeliveries(
  db: Db,
  targets: WebhookRow[],
  event: string,
  payload: Record<string, unknown>,
  now: Date,
  options: { claimed?: boolean } = {},
): Promise<WebhookDeliveryRow[]> {
  if (targets.length === 0) return [];
  return db
    .insert(webhookDeliveries)
    .values(
      targets.map((webhook) => ({
        webhookId: webhook.id,
        event,
        payload,
        nextAttemptAt: now,
        createdAt: now,
        lockedUntil: options.claimed ? new Date(now.getTime() + CLAIM_MS) : null,
      })),
    )
    .returning();
}

/**
 * Claims up to `limit` due deliveries for this worker. The claim is one statement with
 * SKIP LOCKED, so two processes polling at once never take the same row, and a claim left
 * behind by a process that died expires after CLAIM_MS.
 */
export async function claimDueDeliveries(
  db: Db,
  now: Date,
  limit = 10,
): Promise<WebhookDeliveryRow[]> {
  const due = db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.status, "pending"),
        lte(webhookDeliveries.nextAttemptAt, now),
        or(isNull(webhookDeliveries.lockedUntil), lt(webhookDeliveries.lockedUntil, now)),
      ),
    )
    .orderBy(webhookDeliveries.nextAttemptAt)
    .limit(limit)
    .for("update", { skipLocked: true });
  return db
    .update(webhookDeliveries)
    .set({ lockedUntil: new Date(now.getTime() + CLAIM_MS) })
    .where(inArray(webhookDeliveries.id, due))
    .returning();
}

/** One attempt: sign, POST, and record the outcome (2xx delivered; otherwise retry later or give up). */
export async function attemptDelivery(
  db: Db,
  delivery: WebhookDeliveryRow,
  webhook: WebhookRow,
  deps: DeliveryDeps,
): Promise<WebhookDeliveryRow> {
  const now = deps.now();
  const body = deliveryBody(delivery);
  const secret = decryptCredential(webhook.secretCiphertext);
  const result = await deps.send(webhook.url, body, {
    "content-type": "application/json",
    "user-agent": "ModelBridge-Webhook/1",
    [SIGNATURE_HEADER]: signPayload(secret, body, Math.floor(now.getTime() / 1000)),
    "modelbridge-event": delivery.event,
    "modelbridge-delivery": delivery.id,
  });
  const attempts = delivery.attempts + 1;
  const ok = result.status !== null && result.status >= 200 && result.status < 300;
  const delay = ok ? null : retryDelayMs(attempts);
  const status = ok
    ? "delivered"
    : delay !== null && attempts < MAX_ATTEMPTS
      ? "pending"
      : "failed";
  const error = ok ? null : (result.error ?? `HTTP ${result.status}`);
  const [row] = await db
    .update(webhookDeliveries)
    .set({
      status,
      attempts,
      responseStatus: result.status,
      lastError: error,
      lastAttemptAt: now,
      durationMs: result.durationMs,
      nextAttemptAt: delay !== null ? new Date(now.getTime() + delay) : now,
      lockedUntil: null,
    })
    .where(eq(webhookDeliveries.id, delivery.id))
    .returning();
  return row;
}

export async function listDeliveries(
  db: Db,
  webhookId: string,
  limit = 20,
): Promise<WebhookDeliveryRow[]> {
  return db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.webhookId, webhookId))
    .orderBy(desc(webhookDeliveries.createdAt))
    .limit(limit);
}

export async function countPending(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.status, "pending"));
  return row?.n ?? 0;
}
