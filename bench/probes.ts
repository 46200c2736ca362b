/**
 * Sequential probes at concurrency 1, from this (pinned) process over one keep-alive
 * connection, timed with hrtime: wrk's histogram is too coarse for a 0.3 ms target. They
 * return every sample (ms): run.ts pools the samples of interleaved rounds.
 * - latency: N JSON requests, each body compared byte for byte with the mock's;
 * - streams: time from sending to the first content event, and every event checked.
 */
import { Client } from "undici";
import { expectedStreamText, MOCK_SHAPE } from "./mock-shape";

export interface Percentiles {
  p50: number;
  p99: number;
  mean: number;
}

export function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
}

export class ProbeFailure extends Error {}

const headersFor = (apiKey?: string) => ({
  "content-type": "application/json",
  ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
});

export async function latencyProbe(
  origin: string,
  path: string,
  body: string,
  expectBody: string,
  count: number,
  apiKey?: string,
): Promise<number[]> {
  const client = new Client(origin, { keepAliveTimeout: 30_000 });
  const samples: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const started = process.hrtime.bigint();
      const response = await client.request({
        method: "POST",
        path,
        headers: headersFor(apiKey),
        body,
      });
      const text = await response.body.text();
      const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
      if (response.statusCode !== 200 || text !== expectBody) {
        throw new ProbeFailure(
          `latency probe: status ${response.statusCode}, body ${text.slice(0, 200)}`,
        );
      }
      samples.push(elapsed);
    }
  } finally {
    await client.close();
  }
  return samples;
}

/** Content events + the finish event + the usage event; [DONE] is checked separately. */
const EXPECTED_EVENTS = MOCK_SHAPE.chunks + 2;

/** Each stream's time to its first complete event, in ms. */
export async function streamProbe(
  origin: string,
  path: string,
  body: string,
  count: number,
  apiKey?: string,
): Promise<number[]> {
  const client = new Client(origin, { keepAliveTimeout: 30_000 });
  const samples: number[] = [];
  const expectedText = expectedStreamText();
  try {
    for (let i = 0; i < count; i++) {
      const started = process.hrtime.bigint();
      const response = await client.request({
        method: "POST",
        path,
        headers: headersFor(apiKey),
        body,
      });
      if (response.statusCode !== 200)
        throw new ProbeFailure(
          `stream probe: status ${response.statusCode}: ${(await response.body.text()).slice(0, 200)}`,
        );
      let firstMs = -1;
      let buffered = "";
      for await (const bytes of response.body) {
        buffered += bytes.toString("utf8");
        if (firstMs < 0 && buffered.includes("\n\n"))
          firstMs = Number(process.hrtime.bigint() - started) / 1e6;
      }
      checkStream(buffered, expectedText);
      samples.push(firstMs);
    }
  } finally {
    await client.close();
  }
  return samples;
}

function checkStream(raw: string, expectedText: string): void {
  const events = raw.split("\n\n").filter((event) => event.length > 0);
  const last = events.pop();
  if (last !== "data: [DONE]")
    throw new ProbeFailure(
      `stream probe: did not end with [DONE] (${JSON.stringify(last)?.slice(0, 100)})`,
    );
  if (events.length !== EXPECTED_EVENTS)
    throw new ProbeFailure(`stream probe: ${events.length} events, expected ${EXPECTED_EVENTS}`);
  let text = "";
  let usage = false;
  for (const event of events) {
    if (!event.startsWith("data: "))
      throw new ProbeFailure(`stream probe: unexpected line ${event.slice(0, 100)}`);
    const chunk = JSON.parse(event.slice(6)) as {
      choices: { delta?: { content?: string } }[];
      usage?: { completion_tokens: number };
    };
    for (const choice of chunk.choices) text += choice.delta?.content ?? "";
    if (chunk.usage?.completion_tokens === MOCK_SHAPE.completionTokens) usage = true;
  }
  if (text !== expectedText)
    throw new ProbeFailure(`stream probe: text ${JSON.stringify(text)} differs from what was sent`);
  if (!usage) throw new ProbeFailure("stream probe: the usage chunk was not relayed");
}

/**
 * `/v1/responses` streamed, translated onto the mock's chat stream (gateway arms only: the
 * floor and the mock speak chat). Time to the first text delta, in ms; every stream must
 * carry the mock's whole text and end with response.completed with its usage.
 */
export async function responsesStreamProbe(
  origin: string,
  body: string,
  count: number,
  apiKey?: string,
): Promise<number[]> {
  const client = new Client(origin, { keepAliveTimeout: 30_000 });
  const samples: number[] = [];
  const expectedText = expectedStreamText();
  try {
    for (let i = 0; i < count; i++) {
      const started = process.hrtime.bigint();
      const response = await client.request({
        method: "POST",
        path: "/v1/responses",
        headers: headersFor(apiKey),
        body,
      });
      if (response.statusCode !== 200)
        throw new ProbeFailure(
          `responses probe: status ${response.statusCode}: ${(await response.body.text()).slice(0, 200)}`,
        );
      let firstMs = -1;
      let buffered = "";
      for await (const bytes of response.body) {
        buffered += bytes.toString("utf8");
        if (firstMs < 0 && buffered.includes("response.output_text.delta"))
          firstMs = Number(process.hrtime.bigint() - started) / 1e6;
      }
      const events = buffered
        .split("\n\n")
        .filter(Boolean)
        .map(
          (frame) =>
            JSON.parse(frame.slice(frame.indexOf("data: ") + 6)) as {
              type: string;
              delta?: string;
              response?: { usage?: { output_tokens: number } };
            },
        );
      const text = events
        .filter((e) => e.type === "response.output_text.delta")
        .map((e) => e.delta)
        .join("");
      const last = events.at(-1);
      if (text !== expectedText)
        throw new ProbeFailure(
          `responses probe: text ${JSON.stringify(text)} differs from what was sent`,
        );
      if (
        last?.type !== "response.completed" ||
        last.response?.usage?.output_tokens !== MOCK_SHAPE.completionTokens
      ) {
        throw new ProbeFailure(
          `responses probe: did not end with response.completed and its usage (${JSON.stringify(last)?.slice(0, 200)})`,
        );
      }
      samples.push(firstMs);
    }
  } finally {
    await client.close();
  }
  return samples;
}
