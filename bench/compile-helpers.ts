/**
 * The floor and the mock upstream compiled to plain JavaScript before the run (esbuild,
 * one self-contained file each), so that no arm runs under tsx: the gateway runs compiled
 * (dist/server.mjs), and a floor under tsx's loader is not the floor an independent
 * benchmark builds (a plain compiled node:http server piping to an undici Pool).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildSync } from "esbuild";

export interface CompiledHelpers {
  floor: string;
  mock: string;
  remove(): void;
}

export function compileHelpers(): CompiledHelpers {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mb-bench-helpers-"));
  const compile = (entry: string, out: string) => {
    buildSync({
      entryPoints: [path.join(import.meta.dirname, entry)],
      outfile: path.join(dir, out),
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      logLevel: "error",
      // undici's bundle requires node builtins through `require`.
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
    return path.join(dir, out);
  };
  return {
    floor: compile("floor.ts", "floor.mjs"),
    mock: compile("mock-upstream.ts", "mock-upstream.mjs"),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
