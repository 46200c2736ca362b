import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { CapturedPayload } from "../relay/payload-capture";

/**
 * Captured payloads, buffered and written in batches off the request path, like usage rows.
 * Capture is a debugging aid, not a record of account: when the database is down or the
 * buffer is full, payloads are dropped (and counted) rather than held without bound.
 */
export interface PayloadSink {
  record(payload: CapturedPayload): void;
  flush(): Promise<void>;
  close(): Promise<void>;
  /** Payloads dropped since start (buffer full, or a write that failed). */
  dropped(): number;
}

const MAX_BUFFERED = 2_000;

export function databasePayloadSink(
  db: Db,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): PayloadSink {
  let buffer: CapturedPayload[] = [];
  let dropped = 0;
  let flushing: Promise<void> = Promise.resolve();
  const write = async () => {
    const batch = buffer;
    buffer = [];
    if (batch.length === 0) return;
    const rows = batch.map((p) => ({
      request_id: p.requestId,
      key_id: p.keyId,
      request_headers: p.requestHeaders,
      request_body: p.requestBody,
      request_truncated: p.requestTruncated,
      response_body: p.responseBody,
      response_truncated: p.responseTruncated,
      created_at: p.at.toISOString(),
    }));
    try {
      // One statement per batch, the rows as one JSON parameter (as usage rows are written).
      await db.execute(sql`
        insert into request_payloads (request_id, key_id, request_headers, request_body, request_truncated,
          response_body, response_truncated, created_at)
        select * from json_to_recordset(${JSON.stringify(rows)}::json) as r(request_id text, key_id uuid,
          request_headers jsonb, request_body text, request_truncated boolean, response_body text,
          response_truncated boolean, created_at timestamptz)
        on conflict (request_id) do nothing`);
    } catch (error) {
      dropped += batch.length;
      options.onError?.(error);
    }
  };
  const flush = () => (flushing = flushing.then(write));
  const timer = setInterval(() => void flush(), options.intervalMs ?? 1_000);
  timer.unref?.();
  return {
    record(payload) {
      if (buffer.length >= MAX_BUFFERED) {
        dropped++;
        return;
      }
      buffer.push(payload);
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
    dropped: () => dropped,
  };
}
