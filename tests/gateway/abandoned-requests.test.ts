import { describe, expect, it } from "vitest";
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
 * A client that leaves a non-streamed request is charged for what the upstream produced:
 * its usage when the answer arrives within the grace (1 s in the harness), else the
 * prompt's estimate; the request is recorded as 499 and the upstream is aborted.
 */
const t = harnessForFile(async (h) => {
  await registerFakeModels(h.database, h.upstream.url, ["slow"]);
  const userId = (await createUser(h.database)).id;
  return { userId };
});

/**
 * The request's record once it is written, with everything settled before it flushed too. The
 * row can be written by the usage sink's timer before a key's budget lease writes the spend
 * (a timer of its own): one more flush after the row is there makes the spend current.
 */
async function recordOf(keyId: string) {
  for (let i = 0; i < 100; i++) {
    await t.h.runtime.flush();
    const [record] = await usageFor(t.h.database, keyId);
    if (record) {
      await t.h.runtime.flush();
      return record;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("no record");
}

async function leaveEarly(apiKey: string, delayMs: number) {
  const before = (await fakeStats()).requests;
  const controller = new AbortController();
  const pending = client(t.h.baseURL, apiKey)
    .chat.completions.create(
      {
        model: "fake/slow",
        messages: [{ role: "user", content: "hi" }],
        ...({ fake_delay_ms: delayMs } as object),
      },
      { signal: controller.signal },
    )
    .catch((e) => e);
  // Leave once the upstream is working on it (not before the gateway has even seen it).
  while ((await fakeStats()).requests === before)
    await new Promise((resolve) => setTimeout(resolve, 10));
  controller.abort();
  await pending;
}

async function fakeStats() {
  return (await (await fetch(`${t.h.upstream.url}/_fake/stats`)).json()) as {
    closedEarly: number;
    requests: number;
  };
}

async function closedEarly(): Promise<number> {
  return (await fakeStats()).closedEarly;
}

describe("a client that leaves a non-streamed request", () => {
  it("is charged the upstream's usage when the answer comes within the grace, recorded as 499", async () => {
    const { key, row } = await createKey(t.h.database, { userId: t.value.userId });
    await leaveEarly(key, 400);
    const record = await recordOf(row.id);
    expect(record).toMatchObject({
      status: 499,
      errorCode: "client_closed",
      costSource: "upstream",
      promptTokens: 11,
      completionTokens: 1,
    });
    expect(record.cost).toBe(13n);
    expect((await keyRow(t.h.database, row.id)).spend).toBe(13n);
  });

  it("is charged the prompt's estimate when the upstream is still busy after the grace, and the upstream is aborted", async () => {
    const before = await closedEarly();
    const { key, row } = await createKey(t.h.database, {
      userId: t.value.userId,
      spendingLimit: 1_000_000n,
    });
    await leaveEarly(key, 10_000);
    const record = await recordOf(row.id);
    expect(record).toMatchObject({
      status: 499,
      errorCode: "client_closed",
      costSource: "estimate",
      completionTokens: 0,
    });
    expect(record.promptTokens).toBeGreaterThan(0);
    expect(record.cost).toBeGreaterThan(0n);
    expect((await keyRow(t.h.database, row.id)).spend).toBe(record.cost);
    expect(await closedEarly()).toBe(before + 1);
  });
});

describe("the same on /v1/responses (a non-streamed answer translated from chat)", () => {
  it("charged the upstream's usage within the grace, the prompt's estimate after it; recorded as 499", async () => {
    for (const [delayMs, costSource] of [
      [400, "upstream"],
      [10_000, "estimate"],
    ] as const) {
      const { key, row } = await createKey(t.h.database, { userId: t.value.userId });
      const before = (await fakeStats()).requests;
      const controller = new AbortController();
      const pending = client(t.h.baseURL, key)
        .responses.create(
          { model: "fake/slow", input: "hi", ...({ fake_delay_ms: delayMs } as object) },
          { signal: controller.signal },
        )
        .catch((e) => e);
      while ((await fakeStats()).requests === before)
        await new Promise((resolve) => setTimeout(resolve, 10));
      controller.abort();
      await pending;
      const record = await recordOf(row.id);
      expect(record).toMatchObject({
        endpoint: "responses",
        status: 499,
        errorCode: "client_closed",
        costSource,
      });
      expect(record.cost).toBeGreaterThan(0n);
    }
  });
});
