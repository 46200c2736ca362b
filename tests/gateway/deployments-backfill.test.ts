import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { modelDeployments, models } from "@/db/schema";
import { migrationsFolder } from "@/db/client";
import { encryptCredential } from "@/lib/models/credential-crypto";
import { client, createKey, createUser, startHarness, type Harness } from "../helpers/harness";

/**
 * The backfill migration (drizzle/*_deployments-backfill.sql) on models as they were before
 * deployments existed: each becomes one deployment whose id is the model's, with every
 * field and the credential's ciphertext as stored (never decrypted by SQL), and `/v1`
 * answers for it as before.
 */
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe("models registered before deployments", () => {
  it("each becomes one deployment with the same id, credential still encrypted, and still answers", async () => {
    const ciphertext = encryptCredential("upstream-secret");
    const [legacy] = await h.database.db
      .insert(models)
      .values({
        name: "legacy-json",
        baseUrl: h.upstream.url,
        upstreamModel: "json",
        apiKeyEncrypted: ciphertext,
        inputPricePerMillion: 1n,
        outputPricePerMillion: 2n,
        connectTimeoutMs: 4_000,
        firstByteTimeoutMs: 7_000,
        idleTimeoutMs: 9_000,
      })
      .returning();
    // As it was: no deployment rows at all (the insert above bypassed the service).
    await h.database.db.execute(sql`delete from model_deployments`);
    const file = fs
      .readdirSync(migrationsFolder())
      .find((name) => name.endsWith("_deployments-backfill.sql"))!;
    const backfill = fs.readFileSync(path.join(migrationsFolder(), file), "utf8");
    await h.database.db.execute(sql.raw(backfill));

    const [deployment] = await h.database.db
      .select()
      .from(modelDeployments)
      .where(eq(modelDeployments.modelId, legacy.id));
    expect(deployment).toMatchObject({
      id: legacy.id,
      provider: "openai",
      baseUrl: h.upstream.url,
      upstreamModel: "json",
      apiKeyEncrypted: ciphertext,
      connectTimeoutMs: 4_000,
      firstByteTimeoutMs: 7_000,
      idleTimeoutMs: 9_000,
      weight: 1,
      priority: 0,
      enabled: true,
    });
    // Every model got exactly one (the built-in echo model too).
    const counts = await h.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from models m where (select count(*) from model_deployments d where d.model_id = m.id) <> 1`,
    );
    const rows = (Array.isArray(counts) ? counts : (counts as { rows: { n: number }[] }).rows) as {
      n: number;
    }[];
    expect(Number(rows[0].n)).toBe(0);

    h.runtime.deps.models.evict("*");
    const { key } = await createKey(h.database, { userId: (await createUser(h.database)).id });
    const answer = await client(h.baseURL, key).chat.completions.create({
      model: "legacy-json",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(answer.model).toBe("legacy-json");
    expect(answer.choices[0].message.content).toBe(" tok tok tok tok tok");
    const seen = (await (await fetch(`${h.upstream.url}/_fake/requests`)).json()) as {
      headers: Record<string, string>;
    }[];
    expect(seen.at(-1)!.headers.authorization).toBe("Bearer upstream-secret");
  }, 60_000);
});
