import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import { eq } from "drizzle-orm";
import { usageRecords } from "@/db/schema";
import { createModel } from "@/lib/models/service";
import { createModelInput } from "@/lib/models/schemas";
import { client, createKey, createUser, startHarness, type Harness } from "../helpers/harness";

/**
 * `routing.timeout_ms` (PRODUCT.md "Routing": one deadline for the whole request, all
 * attempts included) aborts the attempt in flight: the client gets 504 upstream_timeout,
 * the upstream request is really cancelled (the fake upstream sees its connection closed
 * before it answered), and the key is charged nothing. The deployments here would wait a
 * minute for a first byte on their own (the default first-byte timeout): only the deadline
 * can end these requests.
 */
let h: Harness;
let adminId = "";
let key = "";
let keyId = "";

beforeAll(async () => {
  h = await startHarness();
  adminId = (await createUser(h.database, "admin")).id;
  const created = await createKey(h.database, { userId: (await createUser(h.database)).id });
  key = created.key;
  keyId = created.row.id;
}, 120_000);

afterAll(async () => {
  await h?.close();
});

async function model(name: string, upstream: string, extra: Record<string, unknown> = {}) {
  await createModel(
    h.database,
    createModelInput.parse({
      name,
      base_url: h.upstream.url,
      upstream_model: upstream,
      input_price_per_million: 1,
      output_price_per_million: 2,
      routing: { timeout_ms: 1_500 },
      ...extra,
    }),
    adminId,
  );
}

const fake = async <T>(what: "seen" | "closed") =>
  (await (await fetch(`${h.upstream.url}/_fake/${what}`)).json()) as Record<string, T>;

/** The fake hears the close a moment after the gateway answered: asked until it has. */
async function closedEarly(upstream: string): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const count = (await fake<number>("closed"))[upstream] ?? 0;
    if (count > 0) return count;
    await new Promise((r) => setTimeout(r, 100));
  }
  return 0;
}

async function failure(request: Promise<unknown>) {
  try {
    await request;
    return null;
  } catch (error) {
    const e = error as InstanceType<typeof OpenAI.APIError>;
    return { status: e.status, code: e.code };
  }
}

describe("routing.timeout_ms", () => {
  it("aborts a silent upstream at the deadline: 504 upstream_timeout, the upstream's connection closed, nothing charged", async () => {
    await model("dl-silent", "fault:no-answer:deadline1");
    const got = await failure(
      client(h.baseURL, key).chat.completions.create({
        model: "dl-silent",
        messages: [{ role: "user", content: "hi" }],
      }),
    );
    expect(got).toEqual({ status: 504, code: "upstream_timeout" });
    expect((await fake<number[]>("seen"))["fault:no-answer:deadline1"]).toHaveLength(1);
    expect(await closedEarly("fault:no-answer:deadline1")).toBe(1);

    await h.runtime.flush();
    const [row] = await h.database.db
      .select()
      .from(usageRecords)
      .where(eq(usageRecords.model, "dl-silent"));
    expect(row).toMatchObject({ keyId, status: 504, errorCode: "upstream_timeout" });
    expect(row.cost).toBe(0n);
    expect(row.attempts).toEqual([expect.objectContaining({ outcome: "deadline" })]);
  });

  it("aborts a stream whose first content has not come by the deadline", async () => {
    await model("dl-slow-stream", "fault:slow-first-token:deadline2");
    const got = await failure(
      (async () => {
        // fake_delay_ms: the fake upstream's knob, content only after a minute.
        const body = {
          model: "dl-slow-stream",
          messages: [{ role: "user" as const, content: "hi" }],
          stream: true as const,
          fake_delay_ms: 60_000,
        };
        const stream = await client(h.baseURL, key).chat.completions.create(body);
        for await (const chunk of stream) void chunk;
      })(),
    );
    // Nothing had reached the client (the role-only opening is held back): a plain 504.
    expect(got).toEqual({ status: 504, code: "upstream_timeout" });
    expect(await closedEarly("fault:slow-first-token:deadline2")).toBe(1);
  });

  it("the deadline covers every attempt: a fallback still waiting at the deadline is aborted too", async () => {
    await model("dl-fallback", "fault:no-answer:deadline4");
    await model("dl-primary", "fault:503:deadline3", { fallbacks: ["dl-fallback"] });
    const got = await failure(
      client(h.baseURL, key).chat.completions.create({
        model: "dl-primary",
        messages: [{ role: "user", content: "hi" }],
      }),
    );
    expect(got).toEqual({ status: 504, code: "upstream_timeout" });
    const seen = await fake<number[]>("seen");
    // The primary failed at once and was left for its backoff; the fallback was tried, then cut.
    expect(seen["fault:503:deadline3"]?.length).toBeGreaterThanOrEqual(1);
    expect(seen["fault:no-answer:deadline4"]).toHaveLength(1);
    expect(await closedEarly("fault:no-answer:deadline4")).toBe(1);
  });
});
