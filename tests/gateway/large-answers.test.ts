import { describe, expect, it } from "vitest";
import {
  client,
  createKey,
  createUser,
  keyRow,
  registerEmbeddingModel,
  harnessForFile,
  usageFor,
} from "../helpers/harness";

/**
 * Issue 26, item 6 (large answers): an embeddings answer past the gateway's 1 MB buffer is
 * relayed as it arrives and its usage read from the end of the body, never parsed whole;
 * the client gets every vector, and the key pays the upstream's usage × price.
 */
const t = harnessForFile(async (h) => {
  await registerEmbeddingModel(h.database, h.upstream.url);
  const userId = (await createUser(h.database)).id;
  return { userId };
});

describe("large non-stream answers (issue 26, item 6)", () => {
  it("150 inputs × 3,072 dimensions (~3 MB of JSON) arrive whole and are charged the upstream's usage", async () => {
    const { key, row } = await createKey(t.h.database, {
      userId: t.value.userId,
      spendingLimit: 1_000_000n,
    });
    const input = Array.from({ length: 150 }, (_, i) => `document number ${i} about invoices`);
    const answer = await client(t.h.baseURL, key).embeddings.create({
      model: "fake/embed",
      input,
      dimensions: 3072,
      encoding_format: "float",
    });
    expect(answer.data).toHaveLength(150);
    expect(answer.data.every((d) => d.embedding.length === 3072)).toBe(true);
    expect(answer.usage.prompt_tokens).toBe(150 * 5);
    await t.h.runtime.flush();
    const [record] = await usageFor(t.h.database, row.id);
    expect(record.costSource).toBe("upstream");
    expect(record.promptTokens).toBe(750);
    expect(record.cost).toBe(750n);
    const after = await keyRow(t.h.database, row.id);
    expect(after.spend).toBe(750n);
    expect(after.reserved).toBe(0n);
  });

  it("40 concurrent answers of ~3 MB are relayed without being held as objects: the heap grows by less than 100 MB", async () => {
    const { key } = await createKey(t.h.database, { userId: t.value.userId });
    const input = Array.from({ length: 150 }, (_, i) => `document number ${i} about invoices`);
    const one = async () => {
      const response = await fetch(`${t.h.baseURL}/embeddings`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ model: "fake/embed", input, dimensions: 3072 }),
      });
      let bytes = 0;
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
        bytes += chunk.byteLength;
      return { status: response.status, bytes };
    };
    await one();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 10);
    const results = await Promise.all(Array.from({ length: 40 }, one));
    clearInterval(sampler);
    expect(results.every((r) => r.status === 200 && r.bytes > 2_000_000)).toBe(true);
    // Parsed whole (c997162), each answer was a 3 MB string plus ~460k numbers as objects.
    expect(peak - before).toBeLessThan(100_000_000);
  });

  it("a small answer is still read whole (and a key without a limit pays its usage)", async () => {
    const { key, row } = await createKey(t.h.database, { userId: t.value.userId });
    const answer = await client(t.h.baseURL, key).embeddings.create({
      model: "fake/embed",
      input: ["one two three"],
    });
    expect(answer.data[0].embedding).toHaveLength(8);
    await t.h.runtime.flush();
    expect((await keyRow(t.h.database, row.id)).spend).toBe(3n);
  });
});
