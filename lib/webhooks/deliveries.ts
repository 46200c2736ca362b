import { and, desc, eq, inArray, lte, or, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { webhookDeliveries, type WebhookDeliveryRow, type WebhookRow } from "@/db/schema";
import { rowsOf } from "@/db/rows-of";
import { decryptCredential } from "@/lib/models/credential-crypto";
import { MAX_ATTEMPTS, retryDelayMs } from "./backoff";
import { signPayload, SIGNATURE_HEADER } from "./signature";
import { webhookMayReachPrivate } from "./private-addresses";
import type { SendResult, WebhookSender } from "./send";

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
 * Deliveries of one owner (a user's own webhooks, or a team's) in flight at once, across all
 * processes: a receiver that hangs for the send timeout holds at most this many of the
 * workers' slots, and one owner's thousands of pending events wait their turn behind the
 * other owners' (PRODUCT.md "Fair shares": one slow receiver delays only its owner).
 */
export const DELIVERIES_IN_FLIGHT_PER_OWNER = 2;

/**
 * Claims up to `limit` due deliveries for this worker, fairly: round-robin over owners (each
 * owner's oldest first, then each one's second…), leaving out owners that already have
 * DELIVERIES_IN_FLIGHT_PER_OWNER claimed anywhere (a claim is a live `locked_until`). The
 * claim itself re-checks each row under its lock, so two processes polling at once never take
 * the same row, and a claim left behind by a process that died expires after CLAIM_MS. (Two
 * processes claiming in the same instant can each give one owner its full count: a bound per
 * process, not a leak.)
 */
export async function claimDueDeliveries(
  db: Db,
  now: Date,
  limit = 10,
): Promise<WebhookDeliveryRow[]> {
  const at = now.toISOString();
  const candidates = rowsOf<{ id: string }>(
    await db.execute(sql`
      with owned as (
        select d.id, d.next_attempt_at, d.status, d.locked_until,
               coalesce('team:' || w.team_id::text, 'user:' || w.user_id::text) as owner
        from webhook_deliveries d join webhooks w on w.id = d.webhook_id
        where d.status = 'pending'
      ),
      busy as (
        select owner, count(*) as n from owned where locked_until >= ${at}::timestamptz group by owner
      ),
      due as (
        select id, owner, next_attempt_at,
               row_number() over (partition by owner order by next_attempt_at, id) as turn
        from owned
        where next_attempt_at <= ${at}::timestamptz
          and (locked_until is null or locked_until < ${at}::timestamptz)
      )
      select due.id from due left join busy on busy.owner = due.owner
      where due.turn + coalesce(busy.n, 0) <= ${DELIVERIES_IN_FLIGHT_PER_OWNER}
      order by due.turn, due.next_attempt_at
      limit ${limit}
    `),
  );
  if (candidates.length === 0) return [];
  return db
    .update(webhookDeliveries)
    .set({ lockedUntil: new Date(now.getTime() + CLAIM_MS) })
    .where(
      and(
        inArray(
          webhookDeliveries.id,
          candidates.map((row) => row.id),
        ),
        eq(webhookDeliveries.status, "pending"),
        or(isNull(webhookDeliveries.lockedUntil), lt(webhookDeliveries.lockedUntil, now)),
      ),
    )
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
  const result = await deps.send(
    webhook.url,
    body,
    {
      "content-type": "application/json",
      "user-agent": "ModelBridge-Webhook/1",
      [SIGNATURE_HEADER]: signPayload(secret, body, Math.floor(now.getTime() / 1000)),
      "modelbridge-event": delivery.event,
      "modelbridge-delivery": delivery.id,
    },
    { allowPrivate: await webhookMayReachPrivate(db, webhook) },
  );
  const attempts = delivery.attempts + 1;
  const ok = result.status !== null && result.status >= 200 && result.status < 300;
  const delay = ok ? null : retryDelayMs(attempts);
  const status = ok
    ? "delivered"
    : delay !== null && attempts < MAX_ATTEMPTS
      ? "pending"
      : "failed";
  // The owner sees a generic reason; the detail (addresses, ports, the library's words)
  // would make a test send a port scanner of whatever the gateway can reach: it goes to the log.
  const error = ok ? null : shownError(result);
  if (!ok && result.error)
    console.error(
      JSON.stringify({
        msg: "webhook_delivery_failed",
        delivery_id: delivery.id,
        webhook_id: webhook.id,
        error: result.error,
      }),
    );
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

/** What a failed attempt says to its owner: "could not connect", "timed out", "answered 500". */
export function shownError(result: SendResult): string {
  if (result.status !== null) return `answered ${result.status}`;
  if (result.failure === "timeout") return "timed out";
  if (result.failure === "refused_address")
    return "could not connect: the address is not allowed for webhooks";
  return "could not connect";
}
