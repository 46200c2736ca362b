/**
 * A gateway process reduced to its budget lease, for the crash test (lease-expiry.test.ts):
 * opens the database named by LEASE_DATABASE_URL or LEASE_DATA_DIR, reserves LEASE_AMOUNT
 * of key LEASE_KEY_ID through a lease (renewed on its timer like any gateway's), prints
 * {"granted": "<amount>"}, and keeps running until it is killed.
 */
import { openDatabase } from "@/db/client";
import { leasedBudgetStore } from "@/lib/gateway/stores/budget-lease";

const url = process.env.LEASE_DATABASE_URL;
const database = await openDatabase(
  url ? { url, maxConnections: 2 } : { dataDir: process.env.LEASE_DATA_DIR! },
);
const store = leasedBudgetStore(database.db, {
  leaseTtlMs: Number(process.env.LEASE_TTL_MS),
  intervalMs: 200,
});
const amount = BigInt(process.env.LEASE_AMOUNT!);
const result = await store.reserve(process.env.LEASE_KEY_ID!, amount, amount);
process.stdout.write(`${JSON.stringify({ granted: String(result.granted) })}\n`);
setInterval(() => undefined, 60_000);
