import fs from "node:fs";
import { loggableError } from "@/lib/errors/loggable-error";
import path from "node:path";
import { sql } from "drizzle-orm";
import { getDatabase, migrationsFolder } from "@/db/client";

export interface Readiness {
  ready: boolean;
  database: "ok" | "unreachable";
  migrations: "applied" | "pending" | "unknown";
  detail?: string;
}

function expectedMigrationCount(): number {
  const journal = JSON.parse(
    fs.readFileSync(path.join(migrationsFolder(), "meta", "_journal.json"), "utf8"),
  );
  return journal.entries.length;
}

/** Ready when the database answers and every migration in `drizzle/` is applied. */
export async function checkReadiness(timeoutMs = 2000): Promise<Readiness> {
  const probe = async (): Promise<Readiness> => {
    const { db } = await getDatabase();
    const result = await db.execute<{ count: number }>(
      sql`select count(*)::int as count from drizzle.__drizzle_migrations`,
    );
    const rows = (
      Array.isArray(result) ? result : (result as { rows: { count: number }[] }).rows
    ) as { count: number }[];
    const applied = Number(rows[0]?.count ?? 0);
    const pending = applied < expectedMigrationCount();
    return { ready: !pending, database: "ok", migrations: pending ? "pending" : "applied" };
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`database did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([probe(), timeout]);
  } catch (error) {
    return {
      ready: false,
      database: "unreachable",
      migrations: "unknown",
      detail: loggableError(error),
    };
  } finally {
    clearTimeout(timer);
  }
}
