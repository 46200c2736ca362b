import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";

/** Every row of every table in the public schema, as text: what a database dump would hold. */
export async function dumpEveryTable(
  db: Database["db"],
): Promise<{ tables: string[]; dump: string }> {
  const result = await db.execute<{ table_name: string }>(
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  const tables = (
    Array.isArray(result) ? result : (result as { rows: { table_name: string }[] }).rows
  ).map((t) => t.table_name);
  let dump = "";
  for (const name of tables) {
    const rows = await db.execute(
      sql`select row_to_json(t)::text as row from ${sql.identifier(name)} t`,
    );
    dump += `\n-- ${name}\n` + JSON.stringify(rows);
  }
  return { tables, dump };
}
