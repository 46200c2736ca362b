/**
 * Compiles server.ts (the production entry) and the lib/ and db/ code it imports into one
 * ES module, dist/server.mjs, that `npm start` runs with plain `node`. Running the
 * TypeScript through tsx at run time cost ~110 MB of resident memory (tsx's loader thread,
 * its two esbuild service processes and its transform caches) for nothing that changes
 * after the build, and the gateway process has a resident-memory budget. Packages stay external: node resolves them from
 * node_modules exactly as before, and Next compiles its own copy of lib/ for app/.
 */
import { build } from "esbuild";

await build({
  entryPoints: ["server.ts"],
  outfile: "dist/server.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  // tsconfig.json's `@/*` paths are read by esbuild itself.
  logLevel: "warning",
  legalComments: "none",
});
