import { asc, eq, inArray } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import type { Db } from "@/db/client";
import { modelDeployments, models, type DeploymentRow, type ModelRow } from "@/db/schema";
import type { MaybePromise } from "../maybe-async";
import { smallestRequestCostOf } from "@/lib/keys/smallest-request";
import { resolveModel } from "./resolve-model";
import type { ResolvedModel } from "../types";

/**
 * Enabled models by public name, cached (a model lookup is on every request) and evicted
 * by name when lib/models notifies a change. Credentials are decrypted here, once per
 * load, and live only in memory.
 */
export interface ModelRegistry {
  /** A plain value when cached, else a promise of the database's answer. */
  get(name: string): MaybePromise<ResolvedModel | null>;
  listEnabled(): Promise<ResolvedModel[]>;
  /**
   * What the cheapest request costs (lib/keys/smallest-request.ts), as last computed: a
   * plain value for the hot path, refreshed in the background every few seconds and on
   * any model change.
   */
  smallestRequestCost(): bigint;
  evict(name: string): void;
}

const SMALLEST_REFRESH_MS = 5_000;

export function databaseModelRegistry(db: Db, ttlMs = 60_000): ModelRegistry {
  const byName = new LRUCache<string, { model: ResolvedModel | null }>({ max: 10_000, ttl: ttlMs });
  let list: Promise<ResolvedModel[]> | null = null;
  let generation = 0;
  let smallest = 1n;
  let smallestCheckedAt = -Infinity;

  const registry: ModelRegistry = {
    get(name) {
      const cached = byName.get(name);
      if (cached) return cached.model;
      const started = generation;
      return db
        .select()
        .from(models)
        .where(eq(models.name, name))
        .limit(1)
        .then(async ([row]) => {
          const model = row && row.enabled ? (await resolveRows(db, [row]))[0] : null;
          // Unknown names are cached briefly only: a model being registered must appear soon.
          if (started === generation)
            byName.set(name, { model }, model ? undefined : { ttl: 2_000 });
          return model;
        });
    },
    listEnabled() {
      list ??= db
        .select()
        .from(models)
        .where(eq(models.enabled, true))
        .orderBy(asc(models.name))
        .then((rows) => resolveRows(db, rows));
      const current = list;
      current.catch(() => (list = null));
      setTimeout(() => {
        if (list === current) list = null;
      }, 5_000).unref();
      return current;
    },
    smallestRequestCost() {
      const now = Date.now();
      if (now - smallestCheckedAt >= SMALLEST_REFRESH_MS) {
        smallestCheckedAt = now;
        registry.listEnabled().then(
          (enabled) => (smallest = smallestRequestCostOf(enabled)),
          () => (smallestCheckedAt = -Infinity),
        );
      }
      return smallest;
    },
    evict(name) {
      generation++;
      list = null;
      smallestCheckedAt = -Infinity;
      if (name === "*") byName.clear();
      else byName.delete(name);
    },
  };
  return registry;
}

/** Deployment rows of these models, grouped by model id. */
async function deploymentsOf(db: Db, ids: string[]): Promise<Map<string, DeploymentRow[]>> {
  const byModel = new Map<string, DeploymentRow[]>();
  if (ids.length === 0) return byModel;
  const rows = await db
    .select()
    .from(modelDeployments)
    .where(
      ids.length === 1
        ? eq(modelDeployments.modelId, ids[0])
        : inArray(modelDeployments.modelId, ids),
    );
  for (const row of rows) {
    const list = byModel.get(row.modelId) ?? [];
    list.push(row);
    byModel.set(row.modelId, list);
  }
  return byModel;
}

async function resolveRows(db: Db, rows: ModelRow[]): Promise<ResolvedModel[]> {
  const deployments = await deploymentsOf(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => resolveModel(row, deployments.get(row.id) ?? []));
}
