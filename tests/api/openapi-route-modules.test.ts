import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { managementRouteModules } from "@/app/api/v1/openapi.json/route-modules";
import { HTTP_METHODS, type RouteModule } from "@/lib/api/route-contract";

/**
 * /api/v1/openapi.json is read from the route modules listed in route-modules.ts, each
 * carrying its contract in its `apiRoute({...})` call. A route added on disk but not to the
 * list, or a method without a summary, would leave the document silently short: this fails.
 */
vi.mock("@/lib/auth", () => ({ auth: async () => null }));

const API_ROOT = path.join(process.cwd(), "app/api/v1");
/** Routes under app/api/v1 that are not part of the document: each with the reason. */
const NOT_DOCUMENTED = new Map([
  ["openapi.json", "the document itself"],
  ["[...path]", "the 404 for unknown paths"],
  ["usage/export", "a CSV download, not JSON; the /usage summary points to it"],
]);

function routeDirs(dir = API_ROOT): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeDirs(full);
    return name === "route.ts" ? [path.relative(API_ROOT, dir).split(path.sep).join("/")] : [];
  });
}

/** `keys/[id]/usage` → `/keys/{id}/usage`. */
const openApiPath = (dir: string) => `/${dir.replace(/\[(\w+)\]/g, "{$1}")}`;

const importRoute = async (dir: string) =>
  (await import(/* @vite-ignore */ path.join(API_ROOT, dir, "route.ts"))) as RouteModule;

describe("the OpenAPI document's route modules", () => {
  it("list every /api/v1 route on disk under its path, and nothing else", async () => {
    const documented = routeDirs().filter((dir) => !NOT_DOCUMENTED.has(dir));
    expect(documented.length).toBeGreaterThan(15);
    expect(Object.keys(managementRouteModules).sort()).toEqual(documented.map(openApiPath).sort());
    for (const dir of documented) {
      const onDisk = await importRoute(dir);
      const listed = managementRouteModules[openApiPath(dir)];
      for (const method of HTTP_METHODS)
        expect(listed[method], `${method} ${dir}: the list points at another module`).toBe(
          onDisk[method],
        );
    }
    // A stale reason would hide nothing, but it would mislead: every one names a real route.
    expect(routeDirs().filter((dir) => NOT_DOCUMENTED.has(dir))).toHaveLength(NOT_DOCUMENTED.size);
  });

  it("give every exported method a summary", () => {
    for (const [openapiPath, routeModule] of Object.entries(managementRouteModules)) {
      const methods = HTTP_METHODS.filter((method) => routeModule[method]);
      expect(methods.length, `${openapiPath} exports no method`).toBeGreaterThan(0);
      for (const method of methods) {
        const summary = routeModule[method]?.contract?.summary;
        expect(summary?.trim(), `${method} ${openapiPath} has no summary`).toBeTruthy();
      }
    }
  });
});
