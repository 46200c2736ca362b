import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { modelDeployments, type ModelRow } from "@/db/schema";
import type { UpdateModelInput } from "./schemas";

/**
 * The one-base-URL shape of `/api/v1/models` (PRODUCT.md: still accepted) describes the
 * model's first deployment, the one whose id is the model's id (the migration made every
 * existing model's so). Creating a model that way, or changing those fields, writes it.
 */
export const LEGACY_DEPLOYMENT_FIELDS = [
  "base_url",
  "upstream_model",
  "api_key",
  "provider",
  "native_responses",
  "connect_timeout_ms",
  "first_byte_timeout_ms",
  "idle_timeout_ms",
] as const satisfies readonly (keyof UpdateModelInput)[];

export async function syncLegacyDeployment(database: Database, row: ModelRow): Promise<void> {
  const fields = {
    provider: row.provider,
    baseUrl: row.baseUrl,
    upstreamModel: row.upstreamModel,
    nativeResponses: row.nativeResponses,
    apiKeyEncrypted: row.apiKeyEncrypted,
    connectTimeoutMs: row.connectTimeoutMs,
    firstByteTimeoutMs: row.firstByteTimeoutMs,
    idleTimeoutMs: row.idleTimeoutMs,
  };
  await database.db
    .insert(modelDeployments)
    .values({ id: row.id, modelId: row.id, ...fields })
    .onConflictDoUpdate({
      target: modelDeployments.id,
      set: { ...fields, updatedAt: sql`now()` },
    });
}
