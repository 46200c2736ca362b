import { inArray, sql } from "drizzle-orm";
import { rollPeriodsSql } from "./period-sql";
import type { Db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { chargeOwner } from "@/lib/billing/charge";
import type { Owner } from "@/lib/billing/balance";
import { databaseUnavailableCode } from "./database-unavailable";
import type { UsageEvent } from "./types";

/**
 * Request records, written in batches so that the hot path never waits on an INSERT.
 * A flush, in one go: inserts the rows, adds to `api_keys.spend` what was not already
 * settled by a reservation (keys without a limit), draws each owner's balance once per key,
 * and bumps `last_used_at` (at most once a minute per key).
 */
export interface UsageSink {
  record(event: UsageEvent, options: { spendSettled: boolean }): void;
  flush(): Promise<void>;
  /** Flushes, stops the timer; later records are flushed by an explicit flush() only. */
  close(): Promise<void>;
  /** Records buffered, not yet written (for /metrics). */
  pending(): number;
  /** Records that failed to store on their own and were dropped, since start (for /metrics). */
  setAside(): number;
}

export interface UsageSinkOptions {
  intervalMs?: number;
  maxBatch?: number;
  /** Called with the owners a flush charged; flush() resolves after it (e.g. balances reloaded). */
  onFlushed?: (owners: Owner[]) => void | Promise<void>;
  /** The database is unreachable (or the write hit a deadlock): the rows wait for the next flush. */
  onError?: (error: unknown) => void;
  /** A record the database refused on its own: dropped, so that it cannot block the rest. */
  onSetAside?: (event: UsageEvent, error: unknown) => void;
}

const LAST_USED_EVERY_MS = 60_000;

/**
 * Failures that say nothing about the rows — a deadlock with another process's statement, a
 * serialization failure, a cancelled statement — are retried whole on the next flush, like
 * an outage: splitting on them would set good rows aside.
 */
const TRANSIENT_SQLSTATES = new Set(["40001", "40P01", "55P03", "57014"]);

function transientCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && TRANSIENT_SQLSTATES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
const MAX_BUFFERED = 50_000;

interface Pending {
  event: UsageEvent;
  spendSettled: boolean;
}

export function databaseUsageSink(db: Db, options: UsageSinkOptions = {}): UsageSink {
  const maxBatch = options.maxBatch ?? 1000;
  let buffer: Pending[] = [];
  const lastUsedWritten = new Map<string, number>();
  let flushing: Promise<void> = Promise.resolve();
  /** A flush waiting its turn: later callers share it (it will take their rows too). */
  let queued: Promise<void> | null = null;
  /** The last write failed (database down): only the timer retries, not every record(). */
  let failing = false;
  /** Rows at the head of the buffer that the running flush has taken (until it returns). */
  let claimed = 0;
  /** Rows that could not be stored on their own and were dropped (for /metrics). */
  let setAside = 0;

  const flushOnce = async () => {
    queued = null;
    // Only the rows here now. Draining "until empty" also wrote the few rows that came in
    // during each write, so under load the sink never stopped: ~70 small transactions a
    // second (each with its ledger entry and balance reload) instead of a few full ones.
    let rowsToWrite = buffer.length;
    claimed = rowsToWrite;
    while (rowsToWrite > 0) {
      const batch = buffer.slice(0, Math.min(maxBatch, rowsToWrite));
      rowsToWrite -= batch.length;
      const { done, outage } = await writeOrSetAside(batch);
      buffer = buffer.slice(done);
      claimed = Math.max(0, claimed - done);
      if (outage) {
        claimed = 0;
        failing = true;
        options.onError?.(outage);
        // Keep the rows for the next flush, but never grow without bound.
        if (buffer.length > MAX_BUFFERED) buffer = buffer.slice(buffer.length - MAX_BUFFERED);
        return;
      }
      failing = false;
    }
  };

  /**
   * Writes the batch; when it fails for anything but an outage, one row is to blame (or a
   * few): the batch is split in halves until the good rows land, and a row that fails on
   * its own is set aside (reported once, never retried). Rows are handled in order, so
   * what is done is always the head of the batch. An outage stops it: the rest waits.
   */
  const writeOrSetAside = async (batch: Pending[]): Promise<{ done: number; outage: unknown }> => {
    try {
      await writeBatch(db, batch, lastUsedWritten, options.onFlushed);
      return { done: batch.length, outage: null };
    } catch (error) {
      if (databaseUnavailableCode(error) || transientCode(error)) return { done: 0, outage: error };
      if (batch.length === 1) {
        setAside++;
        options.onSetAside?.(batch[0].event, error);
        return { done: 1, outage: null };
      }
      const half = Math.ceil(batch.length / 2);
      const head = await writeOrSetAside(batch.slice(0, half));
      if (head.outage) return head;
      const tail = await writeOrSetAside(batch.slice(half));
      return { done: half + tail.done, outage: tail.outage };
    }
  };

  // Serialised: two overlapping flushes would write the same rows twice. Coalesced: during
  // an outage each request past maxBatch used to queue one more flush (and one more
  // connection attempt) behind the failing one, without bound.
  const flush = () => (queued ??= flushing = flushing.then(flushOnce, flushOnce));
  const timer = setInterval(() => void flush(), options.intervalMs ?? 1000);
  timer.unref();

  return {
    record(event, { spendSettled }) {
      buffer.push({ event, spendSettled });
      // A full batch beyond what the running flush has taken: write it next.
      if (buffer.length - claimed >= maxBatch && !failing && !queued) void flush();
    },
    flush,
    pending: () => buffer.length,
    setAside: () => setAside,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}

async function writeBatch(db: Db, batch: Pending[], lastUsedWritten: Map<string, number>, onFlushed?: (owners: Owner[]) => void | Promise<void>) {
  const unsettledSpend = new Map<string, bigint>();
  const withPeriod = new Set<string>();
  const charges = new Map<string, { owner: Owner; keyId: string; amount: bigint; at: Date }>();
  const touched: string[] = [];
  const touchedAt = new Map<string, number>();
  for (const { event, spendSettled } of batch) {
    const key = event.key;
    if (!key) continue;
    if (event.cost > 0n) {
      if (!spendSettled) unsettledSpend.set(key.id, (unsettledSpend.get(key.id) ?? 0n) + event.cost);
      if (!spendSettled && key.budgetPeriod !== "none") withPeriod.add(key.id);
      const owner: Owner = key.teamId ? { kind: "team", teamId: key.teamId } : { kind: "user", userId: key.createdBy };
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
        .set({ spend: sql`${apiKeys.spend} + ${amount}`, periodSpend: sql`${apiKeys.periodSpend} + ${amount}` })
        .where(inArray(apiKeys.id, [keyId]));
    }
    for (const charge of [...charges.values()].sort((a, b) => (a.keyId < b.keyId ? -1 : 1))) await chargeOwner(tx, charge.owner, charge.amount, charge.keyId, charge.at);
    if (touched.length > 0) await tx.update(apiKeys).set({ lastUsedAt: new Date() }).where(inArray(apiKeys.id, touched));
  });
  // Only once written: a batch that failed must not make the next one skip last_used_at.
  for (const [keyId, at] of touchedAt) lastUsedWritten.set(keyId, at);
  if (lastUsedWritten.size > 100_000) lastUsedWritten.clear();
  // The rows are written: a failure past this point must not make the caller write them again.
  await Promise.resolve(onFlushed?.([...charges.values()].map((c) => c.owner))).catch(() => undefined);
}

/**
 * One INSERT for the whole batch, its rows passed as a single JSON parameter: building the
 * same insert through drizzle's query builder costs ~70 µs of CPU per row (measured with
 * `npm run bench` and --cpu-prof), on the process that serves `/v1`.
 */
async function insertUsageRows(db: Db, batch: Pending[]): Promise<void> {
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
    created_at: event.at.toISOString(),
  }));
  await db.execute(sql`
    insert into usage_records (request_id, key_id, user_id, team_id, model_id, model, endpoint, streamed, status,
      error_code, prompt_tokens, completion_tokens, cached_input_tokens, cache_write_tokens, cost, cost_source, latency_ms, upstream_ms, created_at)
    select * from json_to_recordset(${JSON.stringify(rows)}::json) as r(request_id text, key_id uuid, user_id uuid,
      team_id uuid, model_id uuid, model text, endpoint text, streamed boolean, status integer, error_code text,
      prompt_tokens integer, completion_tokens integer, cached_input_tokens integer, cache_write_tokens integer, cost bigint, cost_source text, latency_ms integer,
      upstream_ms integer, created_at timestamptz)`);
}
