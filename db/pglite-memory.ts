import fs from "node:fs";
import path from "node:path";
import { execFile } from "node:child_process";

/**
 * What keeps the embedded database's memory down.
 *
 * Settings: Postgres' default shared_buffers (128 MB) is a cache in front of files that
 * Node's file system already caches, and WebAssembly memory never shrinks once touched.
 * Measured on a data directory with 50,000 request rows, opened and written to: 334 MiB
 * resident with the defaults, 182 MiB with these.
 *
 * First open: creating a data directory (initdb) runs a second WebAssembly Postgres whose
 * ~400 MB stays resident until a full GC, which an idle server may not run for a long time
 * (measured: 719 MiB after the first open, 327 MiB after a forced GC). It runs in a short
 * child process, whose exit returns all of it to the system (a worker thread's freed memory
 * partly stays in the allocator: 352 MiB); the server then opens the directory as on any
 * later start.
 */
export const PGLITE_CONF = ["shared_buffers = 16MB", "wal_buffers = 1MB"];

const INIT_SOURCE = `
import("@electric-sql/pglite")
  .then(async ({ PGlite }) => {
    const pg = await PGlite.create(process.argv[1], { postgresqlconf: JSON.parse(process.argv[2]) });
    await pg.close();
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
`;

/** Creates PGlite's data directory in a child process when it does not exist yet. */
export async function createDataDirApart(pgDataDir: string): Promise<void> {
  if (fs.existsSync(path.join(pgDataDir, "PG_VERSION"))) return;
  await new Promise<void>((resolve, reject) => {
    // Run from the working directory, which resolves the package as the server does.
    execFile(
      process.execPath,
      ["-e", INIT_SOURCE, pgDataDir, JSON.stringify(PGLITE_CONF)],
      { timeout: 120_000 },
      (error, _stdout, stderr) => {
        if (error)
          reject(
            new Error(`creating the embedded database failed: ${stderr.trim() || error.message}`),
          );
        else resolve();
      },
    );
  });
}
