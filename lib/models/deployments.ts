import { and, asc, eq, gte, inArray, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import {
  auditLog,
  deploymentBreakers,
  modelDeployments,
  models,
  usageRecords,
  type DeploymentRow,
  type ModelRow,
} from "@/db/schema";
import { ConflictError, NotFoundError } from "@/lib/errors/domain-errors";
import { encryptCredential } from "./credential-crypto";
import {
  toDeploymentView,
  type CreateDeploymentInput,
  type DeploymentView,
  type UpdateDeploymentInput,
} from "./deployment-schemas";
import { notifyModelChanged } from "./model-notify";
import { testUpstream, type ConnectionTest } from "./test-connection";
import { decryptCredential } from "./credential-crypto";
import { breakerChannel } from "@/lib/models/breaker-notify";

/**
 * A model's deployments, for `/api/v1/models/{id}/deployments` and Admin → Models. Callers
 * check that the actor is a platform admin. Every change notifies the gateways' model caches.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function modelOrThrow(database: Database, id: string): Promise<ModelRow> {
  const [row] = UUID.test(id)
    ? await database.db.select().from(models).where(eq(models.id, id)).limit(1)
    : [];
  if (!row) throw new NotFoundError("model");
  return row;
}

async function deploymentOrThrow(
  database: Database,
  modelId: string,
  id: string,
): Promise<DeploymentRow> {
  const [row] = UUID.test(id)
    ? await database.db
        .select()
        .from(modelDeployments)
        .where(and(eq(modelDeployments.id, id), eq(modelDeployments.modelId, modelId)))
        .limit(1)
    : [];
  if (!row) throw new NotFoundError("deployment");
  return row;
}

/** Deployment views of these models, by model id (one query each for rows and breakers). */
export async function deploymentViews(
  database: Database,
  rows: ModelRow[],
): Promise<Map<string, DeploymentView[]>> {
  const views = new Map<string, DeploymentView[]>();
  if (rows.length === 0) return views;
  const names = new Map(rows.map((row) => [row.id, row.name]));
  const deployments = await database.db
    .select()
    .from(modelDeployments)
    .where(inArray(modelDeployments.modelId, [...names.keys()]))
    .orderBy(asc(modelDeployments.priority), asc(modelDeployments.createdAt));
  const breakers = deployments.length
    ? await database.db
        .select()
        .from(deploymentBreakers)
        .where(
          inArray(
            deploymentBreakers.deploymentId,
            deployments.map((d) => d.id),
          ),
        )
    : [];
  const byId = new Map(breakers.map((b) => [b.deploymentId, b]));
  for (const d of deployments) {
    const list = views.get(d.modelId) ?? [];
    list.push(toDeploymentView(d, names.get(d.modelId)!, byId.get(d.id)));
    views.set(d.modelId, list);
  }
  return views;
}

export async function listDeployments(
  database: Database,
  modelId: string,
): Promise<DeploymentView[]> {
  const model = await modelOrThrow(database, modelId);
  return (await deploymentViews(database, [model])).get(model.id) ?? [];
}

export async function createDeployment(
  database: Database,
  modelId: string,
  input: CreateDeploymentInput,
  actorUserId: string | null,
): Promise<DeploymentView> {
  const model = await modelOrThrow(database, modelId);
  const [row] = await database.db
    .insert(modelDeployments)
    .values({
      modelId: model.id,
      provider: input.provider ?? model.provider,
      baseUrl: input.base_url,
      upstreamModel: input.upstream_model ?? null,
      apiKeyEncrypted: input.api_key ? encryptCredential(input.api_key) : null,
      nativeResponses: input.native_responses ?? false,
      weight: input.weight ?? 1,
      priority: input.priority ?? 0,
      requestsPerMinute: input.requests_per_minute ?? null,
      tokensPerMinute: input.tokens_per_minute ?? null,
      connectTimeoutMs: input.connect_timeout_ms ?? model.connectTimeoutMs,
      firstByteTimeoutMs: input.first_byte_timeout_ms ?? model.firstByteTimeoutMs,
      idleTimeoutMs: input.idle_timeout_ms ?? model.idleTimeoutMs,
      enabled: input.enabled ?? true,
    })
    .returning();
  await audit(database, actorUserId, "deployment.create", model, row.id, Object.keys(input));
  await notifyModelChanged(database, model.name);
  return toDeploymentView(row, model.name, undefined);
}

export async function updateDeployment(
  database: Database,
  modelId: string,
  id: string,
  input: UpdateDeploymentInput,
  actorUserId: string | null,
): Promise<DeploymentView> {
  const model = await modelOrThrow(database, modelId);
  await deploymentOrThrow(database, model.id, id);
  const changes: Partial<typeof modelDeployments.$inferInsert> = { updatedAt: new Date() };
  if (input.provider !== undefined) changes.provider = input.provider;
  if (input.base_url !== undefined) changes.baseUrl = input.base_url;
  if (input.upstream_model !== undefined) changes.upstreamModel = input.upstream_model;
  if (input.api_key !== undefined)
    changes.apiKeyEncrypted = input.api_key === null ? null : encryptCredential(input.api_key);
  if (input.native_responses !== undefined) changes.nativeResponses = input.native_responses;
  if (input.weight !== undefined) changes.weight = input.weight;
  if (input.priority !== undefined) changes.priority = input.priority;
  if (input.requests_per_minute !== undefined)
    changes.requestsPerMinute = input.requests_per_minute;
  if (input.tokens_per_minute !== undefined) changes.tokensPerMinute = input.tokens_per_minute;
  if (input.connect_timeout_ms !== undefined) changes.connectTimeoutMs = input.connect_timeout_ms;
  if (input.first_byte_timeout_ms !== undefined)
    changes.firstByteTimeoutMs = input.first_byte_timeout_ms;
  if (input.idle_timeout_ms !== undefined) changes.idleTimeoutMs = input.idle_timeout_ms;
  if (input.enabled !== undefined) changes.enabled = input.enabled;
  const [row] = await database.db
    .update(modelDeployments)
    .set(changes)
    .where(eq(modelDeployments.id, id))
    .returning();
  // The one-base-URL shape reads the model's own columns: they follow its first deployment.
  if (row.id === model.id) await mirrorToModel(database, row);
  // A changed deployment starts afresh: its old failures were another server's, or an old key's.
  if (input.base_url !== undefined || input.api_key !== undefined) await resetBreaker(database, id);
  await audit(database, actorUserId, "deployment.update", model, id, Object.keys(input));
  await notifyModelChanged(database, model.name);
  const [breaker] = await database.db
    .select()
    .from(deploymentBreakers)
    .where(eq(deploymentBreakers.deploymentId, id));
  return toDeploymentView(row, model.name, breaker);
}

export async function deleteDeployment(
  database: Database,
  modelId: string,
  id: string,
  actorUserId: string | null,
): Promise<{ id: string; deleted: true }> {
  const model = await modelOrThrow(database, modelId);
  await deploymentOrThrow(database, model.id, id);
  const [{ count }] = await database.db
    .select({ count: sql<number>`count(*)::int` })
    .from(modelDeployments)
    .where(eq(modelDeployments.modelId, model.id));
  if (count <= 1)
    throw new ConflictError(
      "conflict",
      "A model needs at least one deployment; disable the model instead.",
    );
  await database.db.delete(modelDeployments).where(eq(modelDeployments.id, id));
  await audit(database, actorUserId, "deployment.delete", model, id, []);
  await notifyModelChanged(database, model.name);
  return { id, deleted: true };
}

/** Checks that this deployment's server answers with its stored credential. */
export async function testDeployment(
  database: Database,
  modelId: string,
  id: string,
): Promise<ConnectionTest> {
  const model = await modelOrThrow(database, modelId);
  const row = await deploymentOrThrow(database, model.id, id);
  return testUpstream({
    baseUrl: row.baseUrl,
    apiKey: row.apiKeyEncrypted ? decryptCredential(row.apiKeyEncrypted) : null,
    upstreamModel: row.upstreamModel ?? model.name,
    provider: row.provider,
  });
}

export interface DeploymentHealth extends DeploymentView {
  /** Over the last 15 minutes: requests answered, attempts that failed, and their share. */
  answered: number;
  failed: number;
  success_rate: number | null;
  /** Median time to first content (streams) or answer, ms; null without answers. */
  p50_ttfb_ms: number | null;
}

const WINDOW_MS = 15 * 60_000;

export async function modelHealth(
  database: Database,
  modelId: string,
  now = Date.now(),
): Promise<{ model: string; deployments: DeploymentHealth[] }> {
  const model = await modelOrThrow(database, modelId);
  const views = (await deploymentViews(database, [model])).get(model.id) ?? [];
  const stats = await recentDeploymentStats(database, now);
  return {
    model: model.name,
    deployments: views.map((view) => {
      const s = stats.get(view.id);
      return {
        ...view,
        answered: s?.answered ?? 0,
        failed: s?.failed ?? 0,
        success_rate: s?.successRate ?? null,
        p50_ttfb_ms: s?.p50TtfbMs ?? null,
      };
    }),
  };
}

async function mirrorToModel(database: Database, row: DeploymentRow): Promise<void> {
  await database.db
    .update(models)
    .set({
      provider: row.provider,
      baseUrl: row.baseUrl,
      upstreamModel: row.upstreamModel,
      apiKeyEncrypted: row.apiKeyEncrypted,
      nativeResponses: row.nativeResponses,
      connectTimeoutMs: row.connectTimeoutMs,
      firstByteTimeoutMs: row.firstByteTimeoutMs,
      idleTimeoutMs: row.idleTimeoutMs,
      updatedAt: new Date(),
    })
    .where(eq(models.id, row.modelId));
}

async function resetBreaker(database: Database, id: string): Promise<void> {
  await database.db.delete(deploymentBreakers).where(eq(deploymentBreakers.deploymentId, id));
  await breakerChannel.publish(id, (channel, payload) => database.notify(channel, payload));
}

/** Field names only: the audit trail must not hold the credential either. */
async function audit(
  database: Database,
  actorUserId: string | null,
  action: string,
  model: ModelRow,
  deploymentId: string,
  fields: string[],
): Promise<void> {
  await database.db.insert(auditLog).values({
    actorUserId,
    action,
    targetType: "model",
    targetId: model.id,
    details: { name: model.name, deployment_id: deploymentId, fields },
  });
}

export interface DeploymentStats {
  answered: number;
  failed: number;
  successRate: number | null;
  p50TtfbMs: number | null;
}

/** Every deployment's last 15 minutes, for Admin → Models (two grouped queries in all). */
export async function recentDeploymentStats(
  database: Database,
  now = Date.now(),
): Promise<Map<string, DeploymentStats>> {
  const since = new Date(now - WINDOW_MS);
  const answered = await database.db
    .select({
      deploymentId: usageRecords.deploymentId,
      count: sql<number>`count(*)::int`,
      p50: sql<number | null>`percentile_cont(0.5) within group (order by ${usageRecords.ttfbMs})`,
    })
    .from(usageRecords)
    .where(and(gte(usageRecords.createdAt, since), sql`${usageRecords.deploymentId} is not null`))
    .groupBy(usageRecords.deploymentId);
  const failed = await database.db.execute(sql`
    select a->>'deployment' as deployment, count(*)::int as count
    from ${usageRecords}, jsonb_array_elements(${usageRecords.attempts}) as a
    where ${usageRecords.createdAt} >= ${since.toISOString()}::timestamptz and ${usageRecords.attempts} is not null
      and a->>'outcome' <> 'ok'
    group by 1`);
  const failedRows = (
    Array.isArray(failed) ? failed : (failed as unknown as { rows: unknown[] }).rows
  ) as { deployment: string; count: number }[];
  const stats = new Map<string, DeploymentStats>();
  const entry = (id: string) => {
    let s = stats.get(id);
    if (!s) stats.set(id, (s = { answered: 0, failed: 0, successRate: null, p50TtfbMs: null }));
    return s;
  };
  for (const row of answered) {
    if (!row.deploymentId) continue;
    const s = entry(row.deploymentId);
    s.answered = Number(row.count);
    s.p50TtfbMs = row.p50 == null ? null : Math.round(Number(row.p50));
  }
  for (const row of failedRows) entry(row.deployment).failed = Number(row.count);
  for (const s of stats.values())
    s.successRate = s.answered + s.failed === 0 ? null : s.answered / (s.answered + s.failed);
  return stats;
}
