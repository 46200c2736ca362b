import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { models } from "@/db/schema";
import { costOf, type Prices } from "@/lib/billing/pricing";

/**
 * What the cheapest possible request costs: the smallest prompt a reservation counts (one
 * message of one token: 1 + 4 per message + 3 priming, plus the 5% margin — see
 * lib/gateway/pipeline/prompt-tally.ts) and one output token, at the cheapest enabled
 * model. A key whose remaining budget is below it can be served nothing, so its status is
 * `limit_reached` (lib/keys/status.ts), not `active`.
 */
export const SMALLEST_PROMPT_TOKENS = 9;

export function smallestRequestCostOf(enabled: Prices[]): bigint {
  let smallest: bigint | null = null;
  for (const prices of enabled) {
    const cost = costOf(prices, SMALLEST_PROMPT_TOKENS, 1);
    if (smallest === null || cost < smallest) smallest = cost;
  }
  // No model at all: the plain rule (spend has reached the limit).
  return smallest ?? 1n;
}

export async function smallestRequestCost(db: Db): Promise<bigint> {
  const rows = await db
    .select({
      inputPricePerMillion: models.inputPricePerMillion,
      outputPricePerMillion: models.outputPricePerMillion,
    })
    .from(models)
    .where(eq(models.enabled, true));
  return smallestRequestCostOf(rows);
}
