import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ledgerEntries, usageRecords } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { ensureBillingAccount, type Owner } from "@/lib/billing/balance";
import { setIncludedMonthly, setOverageEnabled } from "@/lib/billing/balance-settings";
import {
  client,
  createKey,
  createUser,
  registerFakeModels,
  harnessForFile,
} from "../helpers/harness";

/**
 * Issue 26, item 3: an account with overage off has its balance reserved like a key's
 * budget, so 40 parallel streamed requests cannot spend past what is left (at c997162 they
 * were all served: 200× the balance). Prices 1.00 / 2.00 per 1M: a token is 1 or 2 micro.
 */
const t = harnessForFile(async (h) => {
  await registerFakeModels(h.database, h.upstream.url, ["sse"]);
  const row = await createUser(h.database, "admin");
  const admin: Actor = {
    user: { id: row.id, email: row.email, name: row.name, role: "admin" },
    keyId: null,
  };
  return { admin };
});

describe("overage off is a reservation (issue 26, item 3)", () => {
  it("40 parallel streamed requests on 2,000 of included usage spend at most 2,000, each charged tokens × price", async () => {
    const user = await createUser(t.h.database);
    const owner: Owner = { kind: "user", userId: user.id };
    await setIncludedMonthly(t.h.database.db, t.value.admin, owner, 2_000n);
    await setOverageEnabled(t.h.database.db, t.value.admin, owner, false);
    const { key, row } = await createKey(t.h.database, { userId: user.id });
    const sdk = client(t.h.baseURL, key);
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, async () => {
        try {
          const stream = await sdk.chat.completions.create({
            model: "fake/sse",
            stream: true,
            max_tokens: 200,
            messages: [{ role: "user", content: "hi" }],
            // Billed as OpenAI counts "hi" (8); 200 output tokens: 408 micro each.
            fake_prompt_tokens: 8,
            fake_chunks: 200,
            fake_interval_ms: 2,
          } as never);
          for await (const _ of stream as unknown as AsyncIterable<unknown>) void _;
          return "served";
        } catch (error) {
          return String((error as { code?: string }).code);
        }
      }),
    );
    await t.h.runtime.flush();
    const records = await t.h.database.db
      .select()
      .from(usageRecords)
      .where(eq(usageRecords.keyId, row.id));
    const spent = records.reduce((sum, r) => sum + r.cost, 0n);
    for (const r of records)
      expect(r.cost).toBe(BigInt(r.promptTokens) + 2n * BigInt(r.completionTokens));
    expect(outcomes.filter((o) => o === "served").length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o === "insufficient_balance").length).toBeGreaterThan(0);
    expect(spent).toBeGreaterThan(0n);
    expect(spent).toBeLessThanOrEqual(2_000n);
    const account = await ensureBillingAccount(t.h.database.db, owner);
    const ledger = await t.h.database.db
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.accountId, account.id));
    expect(ledger.filter((r) => r.bucket === "overage")).toHaveLength(0);
    expect(ledger.filter((r) => r.kind === "usage").reduce((sum, r) => sum - r.amount, 0n)).toBe(
      spent,
    );
  });
});
