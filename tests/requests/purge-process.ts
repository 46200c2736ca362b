/**
 * A second process for payload-purge.test.ts: opens the database at PURGE_DATABASE_URL,
 * waits for the parent's go (a line on stdin), purges payloads older than PURGE_CUTOFF in
 * batches of PURGE_BATCH, and prints {"deleted": n}.
 */
import { openDatabase } from "@/db/client";
import { purgePayloads } from "@/lib/requests/payload-purge";

const database = await openDatabase({ url: process.env.PURGE_DATABASE_URL!, maxConnections: 2 });
process.stdout.write("ready\n");
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
const deleted = await purgePayloads(
  database.db,
  new Date(process.env.PURGE_CUTOFF!),
  Number(process.env.PURGE_BATCH),
);
process.stdout.write(`${JSON.stringify({ deleted })}\n`);
await database.close();
