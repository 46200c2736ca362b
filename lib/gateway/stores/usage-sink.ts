import type { Db } from "@/db/client";
import type { Owner } from "@/lib/billing/balance";
import { writeUsageBatch, type PendingUsage as Pending } from "@/lib/billing/usage-write";
import { databaseUnavailableCode } from "../../errors/database-unavailable";
import type { UsageEvent } from "../types";

/**
 * Request records, buffered and written in batches so that the hot path never waits on an
 * INSERT. What one batch writes (rows, spend, the owners' balances, last_used_at) is
 * billing's: lib/billing/usage-write.ts. This file decides when, and what to do when a
 * write fails.
 */
export interface UsageSink {
  /**
   * Buffers the record. On a durable sink, a record that costs money is written at once
   * (group commit: it joins the next transaction, which takes every row buffered by then)
   * and the promise resolves when that transaction has committed — or when waiting is no
   * use: the row was set aside, or the database is unreachable (the row then waits in
   * memory, as on a batched sink). Otherwise (batched, or nothing charged): null.
   */
  record(event: UsageEvent, options: { spendSettled: boolean }): Promise<void> | null;
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
  onFlushed?: (owners: Owner[], charged: bigint[]) => void | Promise<void>;
  /** The database is unreachable (or the write hit a deadlock): the rows wait for the next flush. */
  onError?: (error: unknown) => void;
  /** A record the database refused on its own: dropped, so that it cannot block the rest. */
  onSetAside?: (event: UsageEvent, error: unknown) => void;
  /**
   * Durable (GATEWAY_USAGE_COMMIT=durable): a charged record is committed before record()'s
   * promise resolves, so an answer held for it is never lost with its process (SIGKILL).
   */
  durable?: boolean;
  /**
   * Durable only: after a batch commits, before its waiters are released. Keys whose spend a
   * budget lease settled in memory (spendSettled) write it here (budget-lease.ts writeSpent).
   */
  afterCommit?: (leasedKeyIds: string[]) => Promise<void>;
}

/** A buffered row, and the answer waiting for it to commit (durable sinks, charged rows). */
type Buffered = Pending & { committed?: () => void };

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

export function databaseUsageSink(db: Db, options: UsageSinkOptions = {}): UsageSink {
  const maxBatch = options.maxBatch ?? 1000;
  let buffer: Buffered[] = [];
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
      if (options.durable && done > 0) await release(batch.slice(0, done));
      buffer = buffer.slice(done);
      claimed = Math.max(0, claimed - done);
      if (outage) {
        claimed = 0;
        failing = true;
        options.onError?.(outage);
        // Nobody waits out an outage: the answers go, their rows stay for the next flush.
        if (options.durable) for (const row of buffer) releaseOne(row);
        // Keep the rows for the next flush, but never grow without bound.
        if (buffer.length > MAX_BUFFERED) buffer = buffer.slice(buffer.length - MAX_BUFFERED);
        return;
      }
      failing = false;
    }
  };

  const releaseOne = (row: Buffered) => {
    row.committed?.();
    row.committed = undefined;
  };
  /** Committed rows: their budget-lease spend is written too, then their answers may end. */
  const release = async (rows: Buffered[]) => {
    const leased = new Set<string>();
    for (const row of rows) {
      if (row.committed && row.spendSettled && row.event.key) leased.add(row.event.key.id);
    }
    if (leased.size > 0 && options.afterCommit) {
      try {
        await options.afterCommit([...leased]);
      } catch (error) {
        options.onError?.(error);
      }
    }
    for (const row of rows) releaseOne(row);
  };

  /**
   * Writes the batch; when it fails for anything but an outage, one row is to blame (or a
   * few): the batch is split in halves until the good rows land, and a row that fails on
   * its own is set aside (reported once, never retried). Rows are handled in order, so
   * what is done is always the head of the batch. An outage stops it: the rest waits.
   */
  const writeOrSetAside = async (batch: Buffered[]): Promise<{ done: number; outage: unknown }> => {
    try {
      await writeUsageBatch(db, batch, lastUsedWritten, options.onFlushed);
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
      if (options.durable && event.cost > 0n && !failing) {
        let committed!: () => void;
        const written = new Promise<void>((resolve) => (committed = resolve));
        buffer.push({ event, spendSettled, committed });
        // Group commit: the next flush (behind the running one, if any) takes this row and
        // every row that arrives before it starts.
        if (!queued) void flush();
        return written;
      }
      buffer.push({ event, spendSettled });
      // A full batch beyond what the running flush has taken: write it next.
      if (buffer.length - claimed >= maxBatch && !failing && !queued) void flush();
      return null;
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
