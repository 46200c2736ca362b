/**
 * The gateway's memory under 80 concurrent embeddings of 450 inputs × 3,072 dimensions
 * (issue 26): `npx tsx scripts/embeddings-rss.ts`. The gateway runs in this process (as
 * in tests/helpers/harness.ts) on PGlite, the fake upstream in its own; the client reads
 * each answer and drops it. Prints the peak RSS during the burst and the RSS once settled.
 */
import {
  createKey,
  createUser,
  registerEmbeddingModel,
  startHarness,
} from "../tests/helpers/harness";

const h = await startHarness();
await registerEmbeddingModel(h.database, h.upstream.url);
const user = await createUser(h.database);
const { key } = await createKey(h.database, { userId: user.id });
const input = Array.from({ length: 450 }, (_, i) => `passage ${i} of the handbook`);
const mb = (bytes: number) => Math.round(bytes / 1e6);

const one = async () => {
  const response = await fetch(`${h.baseURL}/embeddings`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: "fake/embed", input, dimensions: 3072 }),
  });
  let bytes = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
    bytes += chunk.byteLength;
  return { status: response.status, bytes };
};
await one(); // warm up
global.gc?.();
const before = process.memoryUsage().rss;
let peak = before;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const started = Date.now();
const results = await Promise.all(Array.from({ length: 80 }, one));
const seconds = (Date.now() - started) / 1000;
await new Promise((resolve) => setTimeout(resolve, 5_000));
global.gc?.();
await new Promise((resolve) => setTimeout(resolve, 1_000));
clearInterval(sampler);
const after = process.memoryUsage().rss;
console.log(
  JSON.stringify({
    ok: results.filter((r) => r.status === 200).length,
    answer_mb: mb(results[0].bytes),
    seconds,
    rss_before_mb: mb(before),
    rss_peak_mb: mb(peak),
    rss_after_mb: mb(after),
  }),
);
await h.close();
process.exit(0);
