import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema";
import { lockDataDir } from "./data-dir-lock";
import { createDataDirApart, PGLITE_CONF } from "./pglite-memory";
import { env } from "@/lib/env";
import { processSingleton, clearProcessSingleton } from "@/lib/singleton";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Schema = typeof schema;

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  /** Subscribe to a Postgres NOTIFY channel; resolves to an unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** A postgres:// URL; when absent PGlite is used. */
  url?: string;
  /** PGlite's directory; `null` keeps the database in memory (tests). */
  dataDir?: string | null;
  /** Connection pool size for Postgres. */
  maxConnections?: number;
}

export const migrationsFolder = () => path.join(process.cwd(), "drizzle");

/** Random but fixed: serialises migrations of several processes starting at once on one server. */
const MIGRATION_LOCK_ID = 72_411_913;

async function openPostgres(url: string, maxConnections: number): Promise<Database> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const client = postgres(url, { max: maxConnections, onnotice: () => {}, connect_timeout: 10 });

  // One dedicated connection holds the advisory lock and runs the migrations on it.
  const migrator = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await migrator`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await migrate(drizzle(migrator, { schema }), { migrationsFolder: migrationsFolder() });
  } finally {
    await migrator.end({ timeout: 5 });
  }

  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    async listen(channel, onPayload) {
      const subscription = await client.listen(channel, onPayload);
      return () => subscription.unlisten();
    },
    async notify(channel, payload) {
      await client.notify(channel, payload);
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}

async function openPglite(dataDir: string | null): Promise<Database> {
  const release = dataDir ? lockDataDir(dataDir) : () => {};
  try {
    const { PGlite } = await import("@electric-sql/pglite");
    const { drizzle } = await import("drizzle-orm/pglite");
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    // Memory: see pglite-memory.ts.
    const pgDataDir = dataDir ? path.join(dataDir, "pglite") : null;
    if (pgDataDir) await createDataDirApart(pgDataDir);
    const pg = pgDataDir
      ? await PGlite.create(pgDataDir, { postgresqlconf: PGLITE_CONF })
      : await PGlite.create({ postgresqlconf: PGLITE_CONF });
    const drizzleDb = drizzle(pg, { schema });
    await migrate(drizzleDb, { migrationsFolder: migrationsFolder() });
    return {
      db: drizzleDb as unknown as Db,
      kind: "pglite",
      async listen(channel, onPayload) {
        const unsubscribe = await pg.listen(channel, onPayload);
        return () => unsubscribe();
      },
      async notify(channel, payload) {
        await pg.query("select pg_notify($1, $2)", [channel, payload]);
      },
      async close() {
        await pg.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.maxConnections ?? 10);
  return openPglite(options.dataDir === undefined ? path.join(env().DATA_DIR) : options.dataDir);
}

/** The process's database, opened on first use from the environment (never at import time). */
export function getDatabase(): Promise<Database> {
  return processSingleton("database", () => {
    const opening = openDatabase({ url: env().DATABASE_URL, dataDir: env().DATA_DIR });
    // A failed open must not be cached forever: the next caller tries again.
    opening.catch(() => clearProcessSingleton("database"));
    return opening;
  });
}

/** Install a database for this process (tests, or a server that opened it itself). */
export function setProcessDatabase(database: Database): void {
  clearProcessSingleton("database");
  void processSingleton("database", () => Promise.resolve(database));
}

export { schema };
