import { inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { rollPeriodsSql } from "@/lib/billing/period-sql";
import type { UsageEvent } from "@/lib/gateway/types";
import type { Owner } from "./balance";
import { chargeOwner } from "./charge";

/**
 * One batch of request records written in one transaction: inserts the rows, adds to
 * `api_keys.spend` what was not already settled by a reservation (keys without a limit),
 * draws each owner's balance once per key, and bumps `last_used_at` (at most once a minute
 * per key). The gateway's usage sink (lib/gateway/stores/usage-sink.ts) decides when.
 */
export interface PendingUsage {
  event: UsageEvent;
  spendSettled: boolean;
}

const LAST_USED_EVERY_MS = 60_000;

export async function writeUsageBatch(
  db: Db,
  batch: PendingUsage[],
  lastUsedWritten: Map<string, number>,
  onFlushed?: (owners: Owner[], charged: bigint[]) => void | Promise<void>,
) {
  const unsettledSpend = new Map<string, bigint>();
  const withPeriod = new Set<string>();
  const charges = new Map<string, { owner: Owner; keyId: string; amount: bigint; at: Date }>();
  const touched: string[] = [];
  const touchedAt = new Map<string, number>();
  for (const { event, spendSettled } of batch) {
    const key = event.key;
    if (!key) continue;
    if (event.cost > 0n) {
      if (!spendSettled)
        unsettledSpend.set(key.id, (unsettledSpend.get(key.id) ?? 0n) + event.cost);
      if (!spendSettled && key.budgetPeriod !== "none") withPeriod.add(key.id);
      const owner: Owner = key.teamId
        ? { kind: "team", teamId: key.teamId }
        : { kind: "user", userId: key.createdBy };
      const charge = charges.get(key.id) ?? { owner, keyId: key.id, amount: 0n, at: event.at };
      charge.amount += event.cost;
      charge.at = event.at;
      charges.set(key.id, charge);
    }
    const last = touchedAt.get(key.id) ?? lastUsedWritten.get(key.id) ?? 0;
    if (event.at.getTime() - last >= LAST_USED_EVERY_MS) {
      if (!touchedAt.has(key.id)) touched.push(key.id);
      touchedAt.set(key.id, event.at.getTime());
    }
  }
  // One transaction: rows and the spend they carry are written together or not at all. Apart,
  // a crash between them kept rows without their spend, and a failure after the insert made
  // the retry insert the rows a second time.
  await db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    await insertUsageRows(tx, batch);
    // Rows locked in one order (by key id) in every process: no deadlock between two flushes.
    // Keys without a limit: their period spend is only shown, so it follows the batch's time.
    const latest = batch.reduce((at, { event }) => (event.at > at ? event.at : at), new Date(0));
    for (const [keyId, amount] of [...unsettledSpend].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (withPeriod.has(keyId)) await tx.execute(rollPeriodsSql(sql`${keyId}::uuid`, latest));
      await tx
        .update(apiKeys)
        .set({
          spend: sql`${apiKeys.spend} + ${amount}`,
          periodSpend: sql`${apiKeys.periodSpend} + ${amount}`,
        })
        .where(inArray(apiKeys.id, [keyId]));
    }
    for (const charge of [...charges.values()].sort((a, b) => (a.keyId < b.keyId ? -1 : 1)))
      await chargeOwner(tx, charge.owner, charge.amount, charge.keyId, charge.at);
    if (touched.length > 0)
      await tx.update(apiKeys).set({ lastUsedAt: new Date() }).where(inArray(apiKeys.id, touched));
  });
  // Only once written: a batch that failed must not make the next one skip last_used_at.
  for (const [keyId, at] of touchedAt) lastUsedWritten.set(keyId, at);
  if (lastUsedWritten.size > 100_000) lastUsedWritten.clear();
  // The rows are written: a failure past this point must not make the caller write them again.
  const charged = [...charges.values()];
  await Promise.resolve(
    onFlushed?.(
      charged.map((c) => c.owner),
      charged.map((c) => c.amount),
    ),
  ).catch(() => undefined);
}

/**
 * One INSERT for the whole batch, its rows passed as a single JSON parameter: building the
 * same insert through drizzle's query builder costs ~70 µs of CPU per row (measured with
 * `npm run bench` and --cpu-prof), on the process that serves `/v1`.
 */
async function insertUsageRows(db: Db, batch: PendingUsage[]): Promise<void> {
  const rows = batch.map(({ event }) => ({
    request_id: event.requestId,
    key_id: event.key?.id ?? null,
    user_id: event.key?.createdBy ?? null,
    team_id: event.key?.teamId ?? null,
    model_id: event.model?.id ?? null,
    model: event.modelName,
    endpoint: event.endpoint,
    streamed: event.streamed,
    status: event.status,
    error_code: event.errorCode,
    prompt_tokens: event.promptTokens,
    completion_tokens: event.completionTokens,
    cached_input_tokens: event.cachedInputTokens ?? 0,
    cache_write_tokens: event.cacheWriteTokens ?? 0,
    cost: event.cost.toString(),
    cost_source: event.costSource,
    latency_ms: Math.round(event.latencyMs),
    upstream_ms: event.upstreamMs === null ? null : Math.round(event.upstreamMs),
    deployment_id: event.deploymentId ?? null,
    ttfb_ms: event.ttfbMs ?? null,
    attempts: event.attempts ?? null,
    client_ip: event.clientIp ?? null,
    user_agent: event.userAgent ?? null,
    created_at: event.at.toISOString(),
  }));
  await db.execute(sql`
    insert into usage_records (request_id, key_id, user_id, team_id, model_id, model, endpoint, streamed, status,
      error_code, prompt_tokens, completion_tokens, cached_input_tokens, cache_write_tokens, cost, cost_source, latency_ms, upstream_ms,
      ttfb_ms, deployment_id, attempts, client_ip, user_agent, created_at)
    select * from json_to_recordset(${JSON.stringify(rows)}::json) as r(request_id text, key_id uuid, user_id uuid,
      team_id uuid, model_id uuid, model text, endpoint text, streamed boolean, status integer, error_code text,
      prompt_tokens integer, completion_tokens integer, cached_input_tokens integer, cache_write_tokens integer, cost bigint, cost_source text, latency_ms integer,
      upstream_ms integer, ttfb_ms integer, deployment_id uuid, attempts jsonb, client_ip text, user_agent text, created_at timestamptz)`);
}
