import { afterAll, beforeAll } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { Ajv } from "ajv";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { apiKeys, billingAccounts, usageRecords, users } from "@/db/schema";
import {
  createGatewayRuntime,
  type GatewayRuntime,
  type RuntimeOptions,
} from "@/lib/gateway/entry/runtime";
import { generateKey, hashKey, keyPrefix } from "@/lib/keys/format";
import { createModelInput } from "@/lib/models/schemas";
import { createModel } from "@/lib/models/service";
import { openTestDatabase } from "./database";
import { startFakeUpstream, type FakeUpstream } from "../upstream/start-fake-upstream";

/**
 * A real gateway for tests: a migrated database, the runtime on a node:http server through
 * the node adapter, the fake upstream in its own process, and the official SDK as client.
 */
export interface Harness {
  database: Database & { url?: string };
  runtime: GatewayRuntime;
  baseURL: string;
  upstream: FakeUpstream;
  logs: Record<string, unknown>[];
  server: http.Server;
  close(): Promise<void>;
}

export async function startHarness(
  options: Pick<RuntimeOptions, "tracing" | "config"> = {},
): Promise<Harness> {
  process.env.ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
  const [database, upstream] = await Promise.all([openTestDatabase(), startFakeUpstream()]);
  const logs: Record<string, unknown>[] = [];
  const runtime = await createGatewayRuntime(database, {
    log: (line) => logs.push(line),
    ...options,
    config: {
      echoPaceMs: 5,
      usageFlushMs: 100,
      reservationWaitMs: 5_000,
      abortGraceMs: 1_000,
      ...options.config,
    },
  });
  const server = http.createServer((req, res) => runtime.handleNode(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    database,
    runtime,
    upstream,
    logs,
    server,
    baseURL: `http://127.0.0.1:${port}/v1`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await runtime.shutdown();
      await upstream.stop();
      await database.close();
    },
  };
}

let userCounter = 0;

export async function createUser(database: Database, role: "admin" | "user" = "user") {
  userCounter++;
  const [user] = await database.db
    .insert(users)
    .values({
      email: `user${userCounter}-${Date.now()}@example.com`,
      name: `User ${userCounter}`,
      role,
    })
    .returning();
  return user;
}

export async function createKey(
  database: Database,
  options: {
    userId: string;
    type?: "model_serving" | "management";
    spendingLimit?: bigint;
    expiresAt?: Date;
    teamId?: string;
  },
) {
  const kind = options.type === "management" ? "mgmt" : "live";
  const key = generateKey(kind);
  const [row] = await database.db
    .insert(apiKeys)
    .values({
      name: "test key",
      type: options.type ?? "model_serving",
      keyHash: hashKey(key),
      prefix: keyPrefix(kind),
      last4: key.slice(-4),
      createdBy: options.userId,
      teamId: options.teamId ?? null,
      spendingLimit: options.spendingLimit ?? null,
      expiresAt: options.expiresAt ?? null,
    })
    .returning();
  return { key, row };
}

/** Registers every fake behaviour as a model named `fake/<behaviour>`. */
export async function registerFakeModels(
  database: Database,
  upstreamUrl: string,
  behaviours: string[],
) {
  const admin = await createUser(database, "admin");
  for (const behaviour of behaviours) {
    await createModel(
      database,
      createModelInput.parse({
        name: `fake/${behaviour}`,
        base_url: upstreamUrl,
        upstream_model: behaviour,
        api_key: "upstream-secret-credential",
        input_price_per_million: "1.00",
        output_price_per_million: "2.00",
        max_output_tokens: 256,
        first_byte_timeout_ms: 1_000,
        idle_timeout_ms: 1_000,
      }),
      admin.id,
    );
  }
}

export function client(baseURL: string, apiKey: string) {
  return new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 20_000 });
}

export async function keyRow(database: Database, id: string) {
  const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, id));
  return row;
}

export async function usageFor(database: Database, keyId: string) {
  return database.db.select().from(usageRecords).where(eq(usageRecords.keyId, keyId));
}

export async function disableOverage(database: Database, userId: string) {
  await database.db.insert(billingAccounts).values({ userId, overageEnabled: false });
}

// shared/ lies beside the repository (CI lays a copy beside its clone); /work/shared is where
// the developers' machines keep it.
const specPath = [
  "../shared/openai-spec/chat-schemas.json",
  "/work/shared/openai-spec/chat-schemas.json",
]
  .map((candidate) => path.resolve(process.cwd(), candidate))
  .find((candidate) => existsSync(candidate));
if (!specPath)
  throw new Error(
    "OpenAI's chat schemas not found: expected shared/openai-spec/ beside the repository",
  );
const spec = JSON.parse(readFileSync(specPath, "utf8"));

/** OpenAPI 3.0's `nullable` in JSON Schema terms, so that ajv reads the 3.1 document as written. */
function withoutNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutNullable);
  if (!node || typeof node !== "object") return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(rest)) out[name] = withoutNullable(value);
  if (nullable !== true) return out;
  if (typeof out.type === "string")
    return {
      ...out,
      type: [out.type, "null"],
      ...(out.enum ? { enum: [...(out.enum as unknown[]), null] } : {}),
    };
  return { anyOf: [out, { type: "null" }] };
}

/** OpenAI's own schemas (OpenAPI 3.1 with 3.0-style `nullable`), compiled once. */
export function openAiValidator() {
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: "openai", components: withoutNullable(spec.components) });
  return (name: string, value: unknown) => {
    const validate = ajv.getSchema(`openai#/components/schemas/${name}`)!;
    const ok = validate(value);
    return ok ? null : JSON.stringify(validate.errors?.slice(0, 5));
  };
}

/** A fresh user with one Model Serving key: what most /v1 tests call with. */
export async function userWithKey(
  database: Database,
): Promise<{ key: string; keyId: string; userId: string }> {
  const user = await createUser(database);
  const { key, row } = await createKey(database, { userId: user.id });
  return { key, keyId: row.id, userId: user.id };
}

/** Management keys of a platform admin and of a plain user, for /api/v1 tests. */
export async function managementKeys(
  database: Database,
): Promise<{ adminKey: string; userKey: string }> {
  const adminKey = (
    await createKey(database, {
      userId: (await createUser(database, "admin")).id,
      type: "management",
    })
  ).key;
  const userKey = (
    await createKey(database, { userId: (await createUser(database)).id, type: "management" })
  ).key;
  return { adminKey, userKey };
}

/** `fake/embed`: an embedding model on the fake upstream, registered by a platform admin. */
export async function registerEmbeddingModel(database: Database, upstreamUrl: string) {
  const admin = await createUser(database, "admin");
  await createModel(
    database,
    createModelInput.parse({
      name: "fake/embed",
      kind: "embedding",
      base_url: upstreamUrl,
      upstream_model: "embed",
      input_price_per_million: "1.00",
      output_price_per_million: "0",
    }),
    admin.id,
  );
}

/**
 * A harness for the whole test file: started before its tests (then `setup`, once), closed
 * after them. Read it as `t.h` and setup's result as `t.value` inside tests.
 */
export function harnessForFile<T>(setup: (h: Harness) => Promise<T>): { h: Harness; value: T } {
  const t = {} as { h: Harness; value: T };
  beforeAll(async () => {
    t.h = await startHarness();
    t.value = await setup(t.h);
  });
  afterAll(async () => {
    await t.h?.close();
  });
  return t;
}

/** A harness and one plain user, for tests that make the keys they need. */
export const harnessWithUser = () =>
  harnessForFile(async (h) => ({ userId: (await createUser(h.database)).id }));
