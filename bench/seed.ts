/**
 * What the gateway needs for the benchmark, written through the app's own services before
 * the server starts (PGlite: the server then takes the data directory's exclusive lock):
 * an account, a model on the mock upstream with prices, and a Model Serving key WITH a
 * spending limit far above what a run can spend, so the limit path (reservations) is on.
 */
import { openDatabase } from "@/db/client";
import { createKey } from "@/lib/keys/create-key";
import { createModelInput } from "@/lib/models/schemas";
import { createModel } from "@/lib/models/service";
import { createUser } from "@/lib/users/service";

/**
 * The registered name is the upstream's own model id: since routing, an answer's `model` is
 * the registered name, and the checks compare the gateway's answer byte for byte with what
 * the mock sent (and the floor relays unchanged).
 */
export const BENCH_MODEL = "bench-upstream";
/** 1,000,000 in the app's currency, in micro-units: a run spends a few units at most. */
const SPENDING_LIMIT = 1_000_000_000_000n;

export interface Seeded {
  apiKey: string;
  keyId: string;
}

/**
 * With `keyControls`, the key also carries an allowed-models list and requests/tokens-per-minute
 * limits, far above what a run sends: the limits are checked on every request but never bind,
 * so the arm measures what the controls cost on the hot path.
 */
export async function seedDatabase(
  target: { url?: string; dataDir?: string },
  upstreamOrigin: string,
  keyControls = false,
): Promise<Seeded> {
  const database = await openDatabase(
    target.url ? { url: target.url, maxConnections: 2 } : { dataDir: target.dataDir },
  );
  try {
    const user = await createUser(database.db, {
      email: "bench@example.com",
      name: "Bench",
      password: null,
    });
    await createModel(
      database,
      createModelInput.parse({
        name: BENCH_MODEL,
        base_url: `${upstreamOrigin}/v1`,
        upstream_model: "bench-upstream",
        api_key: "bench-upstream-credential",
        input_price_per_million: "1.00",
        output_price_per_million: "2.00",
        max_output_tokens: 256,
      }),
      user.id,
    );
    const { key, rawKey } = await createKey(
      database.db,
      { user, keyId: null },
      {
        name: "bench",
        type: "model_serving",
        teamId: null,
        spendingLimit: SPENDING_LIMIT,
        expiresAt: null,
        ...(keyControls
          ? {
              allowedModels: [BENCH_MODEL],
              rateLimits: { requestsPerMinute: 100_000_000, tokensPerMinute: 1_000_000_000 },
            }
          : {}),
      },
    );
    return { apiKey: rawKey, keyId: key.id };
  } finally {
    await database.close();
  }
}
