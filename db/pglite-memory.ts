import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";

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
 * (measured: 719 MiB after the first open, 327 MiB after a forced GC). It runs in a worker
 * thread that exits when done, which returns all of that to the system; the server then
 * opens the directory as on any later start.
 */
export const PGLITE_CONF = ["shared_buffers = 16MB", "wal_buffers = 1MB"];

const INIT_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
import("@electric-sql/pglite")
  .then(async ({ PGlite }) => {
    const pg = await PGlite.create(workerData.dir, { postgresqlconf: workerData.conf });
    await pg.close();
    parentPort.postMessage("created");
  })
  .catch((error) => parentPort.postMessage({ error: String(error && error.stack || error) }));
`;

/** Creates PGlite's data directory in a worker thread when it does not exist yet. */
export async function createDataDirOffThread(pgDataDir: string): Promise<void> {
  if (fs.existsSync(path.join(pgDataDir, "PG_VERSION"))) return;
  await new Promise<void>((resolve, reject) => {
    // An eval'd worker resolves the package from the working directory, as the server does.
    const worker = new Worker(INIT_SOURCE, { eval: true, workerData: { dir: pgDataDir, conf: PGLITE_CONF } });
    worker.once("message", (message: unknown) => {
      if (message === "created") resolve();
      else reject(new Error(`creating the embedded database failed: ${(message as { error?: string }).error ?? "unknown error"}`));
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`creating the embedded database stopped (exit ${code})`)));
  });
}
