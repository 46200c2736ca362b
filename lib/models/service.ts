import { asc, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { auditLog, models, type ModelRow } from "@/db/schema";
import { FieldError, NotFoundError } from "@/lib/errors/domain-errors";
import { encryptCredential } from "./credential-crypto";
import { deploymentViews } from "./deployments";
import { LEGACY_DEPLOYMENT_FIELDS, syncLegacyDeployment } from "./legacy-deployment";
import { notifyModelChanged } from "./model-notify";
import { routingChanges } from "./routing-settings";
import {
  isBuiltinModelUrl,
  toModelView,
  type CreateModelInput,
  type ModelView,
  type UpdateModelInput,
} from "./schemas";

/**
 * Model administration, shared by `/api/v1/models` and the Admin → Models page. Callers
 * check that the actor is a platform admin; this module validates nothing about who.
 * Every change notifies the gateways' model caches.
 */
export async function listModels(database: Database): Promise<ModelView[]> {
  const rows = await database.db.select().from(models).orderBy(asc(models.name));
  const deployments = await deploymentViews(database, rows);
  return rows.map((row) => toModelView(row, deployments.get(row.id)));
}

export async function getModel(database: Database, id: string): Promise<ModelView> {
  return viewWithDeployments(database, await findOrThrow(database, id));
}

export async function createModel(
  database: Database,
  input: CreateModelInput,
  actorUserId: string | null,
): Promise<ModelView> {
  await assertNameFree(database, input.name);
  const [row] = await database.db
    .insert(models)
    .values({
      name: input.name,
      baseUrl: input.base_url,
      upstreamModel: input.upstream_model ?? null,
      apiKeyEncrypted: input.api_key ? encryptCredential(input.api_key) : null,
      provider: input.provider,
      kind: input.kind,
      nativeResponses: input.native_responses,
      inputPricePerMillion: input.input_price_per_million,
      outputPricePerMillion: input.output_price_per_million,
      cachedInputPricePerMillion: input.cached_input_price_per_million ?? null,
      cacheWritePricePerMillion: input.cache_write_price_per_million ?? null,
      maxOutputTokens: input.max_output_tokens,
      tokenCapField: input.token_cap_field,
      connectTimeoutMs: input.connect_timeout_ms,
      firstByteTimeoutMs: input.first_byte_timeout_ms,
      idleTimeoutMs: input.idle_timeout_ms,
      enabled: input.enabled,
      ...routingChanges(input),
    })
    .returning();
  await syncLegacyDeployment(database, row);
  await audit(database, actorUserId, "model.create", row, Object.keys(input));
  await notifyModelChanged(database, row.name);
  return viewWithDeployments(database, row);
}

export async function updateModel(
  database: Database,
  id: string,
  input: UpdateModelInput,
  actorUserId: string | null,
): Promise<ModelView> {
  const current = await findOrThrow(database, id);
  const builtin = isBuiltinModelUrl(current.baseUrl);
  if (builtin && (input.base_url !== undefined || input.name !== undefined)) {
    throw new FieldError(
      input.name !== undefined ? "name" : "base_url",
      "The built-in model's name and base URL cannot change",
    );
  }
  // The echo model is ours: it speaks OpenAI's chat and nothing else.
  const fixedForBuiltin = (["provider", "kind", "native_responses"] as const).find(
    (field) => input[field] !== undefined,
  );
  if (builtin && fixedForBuiltin) {
    throw new FieldError(fixedForBuiltin, "The built-in model's provider and kind cannot change");
  }
  if (input.name !== undefined && input.name !== current.name)
    await assertNameFree(database, input.name);

  const changes: Partial<typeof models.$inferInsert> = { updatedAt: new Date() };
  if (input.name !== undefined) changes.name = input.name;
  if (input.base_url !== undefined) changes.baseUrl = input.base_url;
  if (input.upstream_model !== undefined) changes.upstreamModel = input.upstream_model;
  if (input.api_key !== undefined)
    changes.apiKeyEncrypted = input.api_key === null ? null : encryptCredential(input.api_key);
  if (input.provider !== undefined) changes.provider = input.provider;
  if (input.kind !== undefined) changes.kind = input.kind;
  if (input.native_responses !== undefined) changes.nativeResponses = input.native_responses;
  if (input.cached_input_price_per_million !== undefined)
    changes.cachedInputPricePerMillion = input.cached_input_price_per_million;
  if (input.cache_write_price_per_million !== undefined)
    changes.cacheWritePricePerMillion = input.cache_write_price_per_million;
  if (input.input_price_per_million !== undefined)
    changes.inputPricePerMillion = input.input_price_per_million;
  if (input.output_price_per_million !== undefined)
    changes.outputPricePerMillion = input.output_price_per_million;
  if (input.max_output_tokens !== undefined) changes.maxOutputTokens = input.max_output_tokens;
  if (input.token_cap_field !== undefined) changes.tokenCapField = input.token_cap_field;
  if (input.connect_timeout_ms !== undefined) changes.connectTimeoutMs = input.connect_timeout_ms;
  if (input.first_byte_timeout_ms !== undefined)
    changes.firstByteTimeoutMs = input.first_byte_timeout_ms;
  if (input.idle_timeout_ms !== undefined) changes.idleTimeoutMs = input.idle_timeout_ms;
  if (input.enabled !== undefined) changes.enabled = input.enabled;
  Object.assign(changes, routingChanges(input));

  const [row] = await database.db.update(models).set(changes).where(eq(models.id, id)).returning();
  if (LEGACY_DEPLOYMENT_FIELDS.some((field) => input[field] !== undefined))
    await syncLegacyDeployment(database, row);
  await audit(database, actorUserId, "model.update", row, Object.keys(input));
  // Both names: a rename must evict the old one from every cache.
  await notifyModelChanged(database, current.name);
  if (row.name !== current.name) await notifyModelChanged(database, row.name);
  return viewWithDeployments(database, row);
}

async function viewWithDeployments(database: Database, row: ModelRow): Promise<ModelView> {
  return toModelView(row, (await deploymentViews(database, [row])).get(row.id));
}

async function findOrThrow(database: Database, id: string): Promise<ModelRow> {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const [row] = uuid.test(id)
    ? await database.db.select().from(models).where(eq(models.id, id)).limit(1)
    : [];
  if (!row) throw new NotFoundError("model");
  return row;
}

async function assertNameFree(database: Database, name: string): Promise<void> {
  const [taken] = await database.db
    .select({ id: models.id })
    .from(models)
    .where(eq(models.name, name))
    .limit(1);
  if (taken) throw new FieldError("name", `A model named "${name}" already exists`);
}

/** Field names only: the audit trail must not hold the credential either. */
async function audit(
  database: Database,
  actorUserId: string | null,
  action: string,
  row: ModelRow,
  fields: string[],
): Promise<void> {
  await database.db.insert(auditLog).values({
    actorUserId,
    action,
    targetType: "model",
    targetId: row.id,
    details: { name: row.name, fields },
  });
}
