/**
 * One instance per process, even when a module is loaded twice. In production `server.ts`
 * (bundled into dist/server.mjs) and Next's compiled bundles each load their own copy of
 * `lib/`, and `next dev` reloads modules; both would otherwise open a second database or keep a second
 * key cache that a revocation never reaches.
 */
export function processSingleton<T>(name: string, create: () => T): T {
  const slot = Symbol.for(`modelbridge.${name}`);
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  if (store[slot] === undefined) store[slot] = create();
  return store[slot] as T;
}

export function clearProcessSingleton(name: string): void {
  const store = globalThis as unknown as Record<symbol, unknown>;
  delete store[Symbol.for(`modelbridge.${name}`)];
}
