import type { DeploymentRow, ModelRow } from "@/db/schema";
import { decryptCredential } from "@/lib/models/credential-crypto";
import { BUILTIN_ECHO_URL } from "@/lib/models/schemas";
import { defaultTokenCapField } from "@/lib/models/token-cap-field";
import type { ResolvedDeployment, ResolvedModel } from "../types";

/**
 * A model row and its deployment rows as the gateway keeps them in memory. Credentials are
 * decrypted here, once per load. A model without deployment rows (one created before they
 * existed, in a process that has not migrated yet) is served through its own columns, as
 * one deployment with the model's id, which is what the migration makes of it.
 */
export function resolveModel(row: ModelRow, deploymentRows: DeploymentRow[]): ResolvedModel {
  const base: ResolvedModel = {
    id: row.id,
    name: row.name,
    kind: row.baseUrl === BUILTIN_ECHO_URL ? "builtin-echo" : "http",
    provider: row.provider,
    serves: row.kind,
    nativeResponses: row.nativeResponses,
    baseUrl: row.baseUrl,
    upstreamModel: row.upstreamModel ?? row.name,
    apiKey: row.apiKeyEncrypted ? decryptCredential(row.apiKeyEncrypted) : null,
    inputPricePerMillion: row.inputPricePerMillion,
    outputPricePerMillion: row.outputPricePerMillion,
    cachedInputPricePerMillion: row.cachedInputPricePerMillion,
    cacheWritePricePerMillion: row.cacheWritePricePerMillion,
    maxOutputTokens: row.maxOutputTokens,
    tokenCapField: row.tokenCapField ?? defaultTokenCapField(),
    connectTimeoutMs: row.connectTimeoutMs,
    firstByteTimeoutMs: row.firstByteTimeoutMs,
    idleTimeoutMs: row.idleTimeoutMs,
    createdAt: row.createdAt,
    fallbacks: row.fallbacks ?? [],
    contextWindow: row.contextWindow,
    routing: {
      strategy: row.routingStrategy,
      maxAttempts: row.maxAttempts,
      timeoutMs: row.routingTimeoutMs,
    },
  };
  const rows = deploymentRows.length > 0 ? deploymentRows : [legacyDeployment(row)];
  base.deployments = rows
    .filter((d) => d.enabled)
    .sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : 1))
    .map((d) => viewThrough(base, d));
  return base;
}

function viewThrough(model: ResolvedModel, d: DeploymentRow): ResolvedDeployment {
  const view: ResolvedModel = {
    ...model,
    kind: d.baseUrl === BUILTIN_ECHO_URL ? "builtin-echo" : "http",
    provider: d.provider,
    nativeResponses: d.nativeResponses,
    baseUrl: d.baseUrl,
    upstreamModel: d.upstreamModel ?? model.name,
    apiKey: d.apiKeyEncrypted ? decryptCredential(d.apiKeyEncrypted) : null,
    connectTimeoutMs: d.connectTimeoutMs,
    firstByteTimeoutMs: d.firstByteTimeoutMs,
    idleTimeoutMs: d.idleTimeoutMs,
    deploymentId: d.id,
    deployments: undefined,
  };
  return {
    id: d.id,
    weight: d.weight,
    priority: d.priority,
    requestsPerMinute: d.requestsPerMinute,
    tokensPerMinute: d.tokensPerMinute,
    model: view,
  };
}

function legacyDeployment(row: ModelRow): DeploymentRow {
  return {
    id: row.id,
    modelId: row.id,
    provider: row.provider,
    baseUrl: row.baseUrl,
    upstreamModel: row.upstreamModel,
    nativeResponses: row.nativeResponses,
    apiKeyEncrypted: row.apiKeyEncrypted,
    weight: 1,
    priority: 0,
    requestsPerMinute: null,
    tokensPerMinute: null,
    connectTimeoutMs: row.connectTimeoutMs,
    firstByteTimeoutMs: row.firstByteTimeoutMs,
    idleTimeoutMs: row.idleTimeoutMs,
    enabled: true,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
