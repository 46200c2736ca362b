import type { WebhookDeliveryRow, WebhookRow } from "@/db/schema";

export function toWebhookObject(row: WebhookRow) {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    team_id: row.teamId,
    created_at: row.createdAt.toISOString(),
    disabled_at: row.disabledAt?.toISOString() ?? null,
  };
}

export function toDeliveryObject(row: WebhookDeliveryRow) {
  return {
    id: row.id,
    webhook_id: row.webhookId,
    event: row.event,
    status: row.status,
    attempts: row.attempts,
    response_status: row.responseStatus,
    last_error: row.lastError,
    last_attempt_at: row.lastAttemptAt?.toISOString() ?? null,
    next_attempt_at: row.status === "pending" ? row.nextAttemptAt.toISOString() : null,
    duration_ms: row.durationMs,
    created_at: row.createdAt.toISOString(),
  };
}
