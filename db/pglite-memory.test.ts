import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "./client";
import { createDataDirApart } from "./pglite-memory";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the embedded database's memory settings", () => {
  it("creates a data directory in a process of its own, which the server then opens with small buffers", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mb-pglite-"));
    dirs.push(dataDir);
    await createDataDirApart(path.join(dataDir, "pglite"));
    expect(fs.existsSync(path.join(dataDir, "pglite", "PG_VERSION"))).toBe(true);
    const database = await openDatabase({ dataDir });
    try {
      const rows = (await database.db.execute(sql`show shared_buffers`)) as unknown as {
        rows: { shared_buffers: string }[];
      };
      expect(rows.rows[0].shared_buffers).toBe("16MB");
      await database.db.execute(sql`select count(*) from usage_records`);
    } finally {
      await database.close();
    }
  }, 120_000);
});
