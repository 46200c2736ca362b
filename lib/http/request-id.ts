import { randomFillSync } from "node:crypto";

/**
 * `req_` + 24 hex digits, unpredictable. Drawn from a pool filled 4 KiB at a time: one
 * CSPRNG call per request was ~2% of the gateway's CPU under load (bench --cpu-prof).
 */
const ID_BYTES = 12;
const pool = Buffer.allocUnsafe(ID_BYTES * 341);
let offset = pool.length;

export function newRequestId(): string {
  if (offset + ID_BYTES > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const id = pool.toString("hex", offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return `req_${id}`;
}
