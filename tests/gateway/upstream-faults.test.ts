import { describe, expect, it } from "vitest";
import OpenAI from "openai";
import { createModel } from "@/lib/models/service";
import { createModelInput } from "@/lib/models/schemas";
import {
  client,
  createKey,
  createUser,
  keyRow,
  registerFakeModels,
  harnessForFile,
  usageFor,
} from "../helpers/harness";

/**
 * Issue 7's upstream faults, each against a real misbehaving upstream (or none at all), on a
 * key WITH a spending limit so that every fault goes through a budget reservation. For each
 * fault: the client gets the right error in OpenAI's envelope, the request is recorded, the
 * charge is right (nothing when nothing came out), and no reservation leaks: after flush()
 * (which gives back every unused budget lease) `api_keys.reserved` is 0 again and `spend`
 * equals what the records charged. errors.test.ts and limits.test.ts cover the status codes
 * of some of these; this file adds the accounting.
 */
const t = harnessForFile(async (h) => {
  await registerFakeModels(h.database, h.upstream.url, [
    "error-500",
    "error-429",
    "slow",
    "hang",
    "reset",
    "garbage",
    "sse",
  ]);
  // Each stream case has its own model: the non-stream case before it opened its model's
  // circuit breaker (3 failures), and the next request would get 503 no_healthy_deployment.
  for (const behaviour of ["error-500", "error-429", "slow", "garbage"])
    await createModel(
      h.database,
      createModelInput.parse({
        name: `fake/${behaviour}-stream`,
        base_url: h.upstream.url,
        upstream_model: behaviour,
        input_price_per_million: 1,
        output_price_per_million: 2,
        first_byte_timeout_ms: 1_000,
        idle_timeout_ms: 1_000,
      }),
      null,
    );
  // Port 1 on loopback: nothing listens there, so the connect is refused at once.
  await createModel(
    h.database,
    createModelInput.parse({
      name: "fake/refused",
      base_url: "http://127.0.0.1:1/v1",
      input_price_per_million: 1,
      output_price_per_million: 2,
    }),
    null,
  );
  await createModel(
    h.database,
    createModelInput.parse({
      name: "fake/refused-stream",
      base_url: "http://127.0.0.1:1/v1",
      input_price_per_million: 1,
      output_price_per_million: 2,
    }),
    null,
  );
  const userId = (await createUser(h.database)).id;
  return { userId };
});

interface Fault {
  name: string;
  model: string;
  stream: boolean;
  status: number;
  code: string;
  /** Output reached the client before the fault: a charge by estimate is right then. */
  producedOutput: boolean;
}

const faults: Fault[] = [
  {
    name: "connection refused",
    model: "fake/refused",
    stream: false,
    status: 502,
    code: "upstream_error",
    producedOutput: false,
  },
  {
    name: "connection refused (stream)",
    model: "fake/refused-stream",
    stream: true,
    status: 502,
    code: "upstream_error",
    producedOutput: false,
  },
  {
    name: "upstream 500",
    model: "fake/error-500",
    stream: false,
    status: 502,
    code: "upstream_error",
    producedOutput: false,
  },
  {
    name: "upstream 500 (stream)",
    model: "fake/error-500-stream",
    stream: true,
    status: 502,
    code: "upstream_error",
    producedOutput: false,
  },
  {
    name: "upstream 429",
    model: "fake/error-429",
    stream: false,
    status: 429,
    code: "upstream_rate_limited",
    producedOutput: false,
  },
  {
    name: "upstream 429 (stream)",
    model: "fake/error-429-stream",
    stream: true,
    status: 429,
    code: "upstream_rate_limited",
    producedOutput: false,
  },
  {
    name: "hang before the first byte",
    model: "fake/slow",
    stream: false,
    status: 504,
    code: "upstream_timeout",
    producedOutput: false,
  },
  {
    name: "hang before the first byte (stream)",
    model: "fake/slow-stream",
    stream: true,
    status: 504,
    code: "upstream_timeout",
    producedOutput: false,
  },
  {
    // Nothing but a malformed event and [DONE]: no content reached the client, so the
    // response itself is the error (another deployment would have been tried).
    name: "garbage SSE before any content (stream)",
    model: "fake/garbage-stream",
    stream: true,
    status: 502,
    code: "upstream_error",
    producedOutput: false,
  },
];

/** Faults that strike after the 200 and the first chunks: the error arrives inside the stream. */
const midStreamFaults = [
  { name: "hang between chunks", model: "fake/hang", code: "upstream_timeout", status: 504 },
  { name: "reset mid-stream", model: "fake/reset", code: "upstream_error", status: 502 },
];

async function limitedKey() {
  return createKey(t.h.database, { userId: t.value.userId, spendingLimit: 5_000_000n });
}

/** After flush(), nothing is held and spend is exactly what the records charged. */
async function expectNoLeak(keyId: string) {
  await t.h.runtime.flush();
  const row = await keyRow(t.h.database, keyId);
  const records = await usageFor(t.h.database, keyId);
  expect(row.reserved).toBe(0n);
  expect(row.spend).toBe(records.reduce((sum, r) => sum + r.cost, 0n));
  return records;
}

describe("upstream faults before any output", () => {
  for (const fault of faults) {
    it(`${fault.name}: ${fault.status} ${fault.code}, recorded, nothing charged, no reservation leak`, async () => {
      const { key, row } = await limitedKey();
      const error = await client(t.h.baseURL, key)
        .chat.completions.create({
          model: fault.model,
          messages: [{ role: "user", content: "hi" }],
          stream: fault.stream,
          fake_delay_ms: 5_000,
        } as never)
        .then(
          () => null,
          (e: unknown) => e as InstanceType<typeof OpenAI.APIError>,
        );
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(error?.status).toBe(fault.status);
      expect(error?.code).toBe(fault.code);
      expect(error?.error).toMatchObject({
        message: expect.any(String),
        type: expect.any(String),
        code: fault.code,
      });
      expect(error?.requestID).toMatch(/^req_/);

      const records = await expectNoLeak(row.id);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        model: fault.model,
        status: fault.status,
        errorCode: fault.code,
        cost: 0n,
        streamed: fault.stream,
      });
      expect((await keyRow(t.h.database, row.id)).spend).toBe(0n);
    });
  }
});

describe("upstream faults in the middle of a stream", () => {
  for (const fault of midStreamFaults) {
    it(`${fault.name}: the stream ends in an error, recorded, spend equals the record, no reservation leak`, async () => {
      const { key, row } = await limitedKey();
      const stream = await client(t.h.baseURL, key).chat.completions.create({
        model: fault.model,
        messages: [{ role: "user", content: "hi" }],
        stream: true,
      });
      let failed: unknown = null;
      try {
        for await (const _chunk of stream) void _chunk;
      } catch (error) {
        failed = error;
      }
      expect(failed).not.toBeNull();

      const records = await expectNoLeak(row.id);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        model: fault.model,
        status: fault.status,
        errorCode: fault.code,
        streamed: true,
      });
    });
  }

  it("after every fault the same key still works and is charged normally", async () => {
    const { key, row } = await limitedKey();
    await client(t.h.baseURL, key)
      .chat.completions.create({
        model: "fake/refused",
        messages: [{ role: "user", content: "hi" }],
      })
      .catch(() => undefined);
    const ok = await client(t.h.baseURL, key).chat.completions.create({
      model: "fake/sse",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    for await (const _chunk of ok) void _chunk;
    const records = await expectNoLeak(row.id);
    expect(records.map((r) => r.status).sort()).toEqual([200, 502]);
    expect((await keyRow(t.h.database, row.id)).spend).toBeGreaterThan(0n);
  });
});
