import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  client,
  createKey,
  createUser,
  keyRow,
  registerFakeModels,
  startHarness,
  usageFor,
  type Harness,
} from "../helpers/harness";

/**
 * GATEWAY_USAGE_COMMIT=durable: the moment a client has a whole answer, its
 * usage row and the spend it carries are in the database — also for a key whose spend a
 * budget lease settles in memory. The timer is set to a minute here, so nothing but the
 * durable commit can have written them. With `batched`, the same check finds no row: the
 * answer went out first and the row waits for the timer (which a SIGKILL would lose).
 */
const MINUTE = 60_000;

describe.each([
  { usageCommit: "durable" as const, committedBeforeAnswer: true },
  { usageCommit: "batched" as const, committedBeforeAnswer: false },
])("usage commit $usageCommit", ({ usageCommit, committedBeforeAnswer }) => {
  let h: Harness;
  let userId: string;
  beforeAll(async () => {
    h = await startHarness({
      config: { usageCommit, usageFlushMs: MINUTE, usageCommitWaitMs: 10_000 },
    });
    await registerFakeModels(h.database, h.upstream.url, ["json", "sse"]);
    userId = (await createUser(h.database)).id;
  });
  afterAll(async () => {
    await h?.close();
  });

  const expectCharged = async (keyId: string, rows: number) => {
    const records = await usageFor(h.database, keyId);
    const spend = (await keyRow(h.database, keyId)).spend;
    if (!committedBeforeAnswer) {
      expect(records).toHaveLength(0);
      expect(spend).toBe(0n);
      return;
    }
    expect(records).toHaveLength(rows);
    expect(records.every((record) => record.cost > 0n)).toBe(true);
    expect(spend).toBe(records.reduce((sum, record) => sum + record.cost, 0n));
  };

  it("a JSON answer: its row and spend are committed when the client has it", async () => {
    const { key, row } = await createKey(h.database, { userId });
    const answer = await client(h.baseURL, key).chat.completions.create({
      model: "fake/json",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(answer.choices[0].message.content).toBeTruthy();
    await expectCharged(row.id, 1);
  });

  it("a streamed answer: committed when the stream has ended", async () => {
    const { key, row } = await createKey(h.database, { userId });
    const stream = await client(h.baseURL, key).chat.completions.create({
      model: "fake/sse",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text).toBeTruthy();
    await expectCharged(row.id, 1);
  });

  it("a key with a spending limit (a budget lease): its spend is written with the row", async () => {
    const { key, row } = await createKey(h.database, { userId, spendingLimit: 50_000_000n });
    const sdk = client(h.baseURL, key);
    await Promise.all(
      [0, 1, 2].map(() =>
        sdk.chat.completions.create({
          model: "fake/json",
          messages: [{ role: "user", content: "hi" }],
        }),
      ),
    );
    await expectCharged(row.id, 3);
  });
});
