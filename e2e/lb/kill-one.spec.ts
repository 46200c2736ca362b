import fs from "node:fs";
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { eq } from "drizzle-orm";
import { openDatabase } from "../../db/client";
import { apiKeys, usageRecords } from "../../db/schema";
import { startFakeUpstream } from "../../tests/upstream/start-fake-upstream";
import { newSignedInContext, signIn } from "../helpers/accounts";
import { platformAdminAccount } from "../helpers/platform-admin";

/**
 * One of the three processes behind nginx killed with SIGKILL under load (run last: it
 * leaves two). Eight clients send plain and streamed chat requests for a few seconds:
 * - no request is answered wrong: every 200 carries the whole, right answer; the others are
 *   nginx's 502 or a cut connection, and only for requests the dead process held;
 * - the others carry on: every request sent a second after the kill is answered 200;
 * - spend is exact: the key's spend is the sum of its usage records, every 200 has its
 *   record — also those the dead process answered, since a charged answer ends only after
 *   its row commits (GATEWAY_USAGE_COMMIT=durable, set for this suite in global-setup.ts;
 *   the default, batched, loses what it had not flushed) — and nothing is charged
 *   twice. A row may exist for a request the kill cut after the commit (charged as served).
 */
const origin = () => ({ origin: new URL(process.env.MB_BASE_URL!).origin });
const tag = randomBytes(4).toString("hex");
const RIGHT = " tok tok tok tok tok";

interface Outcome {
  status: number | "cut";
  startedAt: number;
  requestId: string | null;
  right: boolean;
}

function processOf(lines: string[], requestId: string): string | undefined {
  return lines.find((line) => line.endsWith(` ${requestId}`))?.split(" ")[1];
}

test("SIGKILL of one process under load: no wrong answer, the others carry on, spend is exact", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const servers = JSON.parse(process.env.MB_LB_SERVERS!) as { pid: number; url: string }[];
  const upstream = await startFakeUpstream();
  const admin = await browser.newContext({ baseURL: process.env.MB_BASE_URL });
  await signIn(await admin.newPage(), platformAdminAccount());
  for (const behaviour of ["json", "sse"]) {
    const response = await admin.request.post("/api/v1/models", {
      headers: origin(),
      data: {
        name: `kill-${behaviour}-${tag}`,
        base_url: upstream.url,
        upstream_model: behaviour,
        api_key: "sk-upstream",
        input_price_per_million: "1000.00",
        output_price_per_million: "1000.00",
      },
    });
    expect(response.status(), await response.text()).toBe(201);
  }
  const user = await newSignedInContext(browser);
  const created = await user.request.post("/api/v1/keys", {
    headers: origin(),
    data: { name: `kill ${tag}` },
  });
  const { id: keyId, key } = (await created.json()) as { id: string; key: string };

  const outcomes: Outcome[] = [];
  const deadline = Date.now() + 8_000;
  let killedAt = 0;
  const ask = async (streamed: boolean): Promise<Outcome> => {
    const startedAt = Date.now();
    try {
      const response = await fetch(`${process.env.MB_BASE_URL}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({
          model: `kill-${streamed ? "sse" : "json"}-${tag}`,
          messages: [{ role: "user", content: "hi" }],
          stream: streamed,
        }),
      });
      const text = await response.text();
      const requestId = response.headers.get("x-request-id");
      if (response.status !== 200)
        return { status: response.status, startedAt, requestId, right: false };
      let content: string;
      if (streamed) {
        if (!text.includes("data: [DONE]"))
          return { status: "cut", startedAt, requestId, right: false };
        content = text
          .split("\n")
          .filter((line) => line.startsWith("data: {"))
          .map((line) => JSON.parse(line.slice(6)).choices?.[0]?.delta?.content ?? "")
          .join("");
      } else content = JSON.parse(text).choices[0].message.content;
      return { status: 200, startedAt, requestId, right: content === RIGHT };
    } catch {
      return { status: "cut", startedAt, requestId: null, right: false };
    }
  };
  const client = async (index: number) => {
    for (let i = 0; Date.now() < deadline; i++) outcomes.push(await ask((index + i) % 2 === 1));
  };
  const killer = (async () => {
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    killedAt = Date.now();
    process.kill(servers[1].pid, "SIGKILL");
  })();
  await Promise.all([killer, ...Array.from({ length: 8 }, (_, i) => client(i))]);

  const ok = outcomes.filter((outcome) => outcome.status === 200);
  const failed = outcomes.filter((outcome) => outcome.status !== 200);
  // No wrong answers: every 200 is whole and right; failures are 502s or cut connections.
  expect(ok.every((outcome) => outcome.right)).toBe(true);
  expect(failed.every((outcome) => outcome.status === 502 || outcome.status === "cut")).toBe(true);
  // Only what the dead process held in flight (eight clients) can have failed, around the kill.
  expect(failed.length).toBeLessThanOrEqual(8);
  expect(failed.every((outcome) => outcome.startedAt <= killedAt + 1_000)).toBe(true);
  // The others carry on.
  const after = outcomes.filter((outcome) => outcome.startedAt > killedAt + 1_000);
  expect(after.length).toBeGreaterThan(20);
  expect(after.every((outcome) => outcome.status === 200)).toBe(true);

  // Spend: wait for the survivors' flush, then compare with the records.
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  const database = await openDatabase({ url: process.env.MB_DATABASE_URL!, maxConnections: 2 });
  try {
    const records = await database.db
      .select()
      .from(usageRecords)
      .where(eq(usageRecords.keyId, keyId));
    const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
    const recorded = new Set(records.map((record) => record.requestId));
    expect(recorded.size).toBe(records.length); // nothing recorded (or charged) twice
    expect(row.spend).toBe(records.reduce((sum, record) => sum + record.cost, 0n));
    const lines = fs.readFileSync(process.env.MB_LB_ACCESS_LOG!, "utf8").split("\n");
    const dead = new URL(servers[1].url).host;
    // Every whole answer was paid for, whichever process gave it.
    const unrecorded = ok.filter((outcome) => !recorded.has(outcome.requestId!));
    expect(unrecorded).toEqual([]);
    // Every record is for a request that was answered, or cut by the kill (charged as served).
    const answeredIds = new Set(outcomes.map((outcome) => outcome.requestId));
    const strays = records.filter((record) => !answeredIds.has(record.requestId));
    expect(strays.length).toBeLessThanOrEqual(failed.length);
    const summary = {
      requests: outcomes.length,
      ok: ok.length,
      failed: failed.length,
      failedStatuses: failed.map((outcome) => outcome.status),
      answeredByKilled: ok.filter((outcome) => processOf(lines, outcome.requestId!) === dead)
        .length,
      unrecordedAnsweredByKilled: unrecorded.length,
      recordsWithoutAnAnswer: strays.length,
      spend: String(row.spend),
    };
    console.log(`kill-one-process: ${JSON.stringify(summary)}`);
    test
      .info()
      .annotations.push({ type: "kill-one-process", description: JSON.stringify(summary) });
  } finally {
    await database.close();
    await user.context.close();
    await admin.close();
    await upstream.stop();
  }
});
