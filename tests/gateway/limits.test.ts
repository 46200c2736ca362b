import { describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { eq } from "drizzle-orm";
import { openDatabase, type Database } from "@/db/client";
import { apiKeys, ledgerEntries } from "@/db/schema";
import { KEY_CHANNEL, notifyKeyChanged } from "@/lib/keys/key-notify";
import { createGatewayRuntime } from "@/lib/gateway/entry/runtime";
import { keyStatus } from "@/lib/keys/status";
import {
  client,
  createKey,
  createUser,
  keyRow,
  registerFakeModels,
  harnessForFile,
  usageFor,
} from "../helpers/harness";

const t = harnessForFile(async (h) => {
  await registerFakeModels(h.database, h.upstream.url, [
    "json",
    "sse",
    "sse-no-usage",
    "sse-ignore-max",
    "hang",
    "reset",
    "garbage",
  ]);
  const userId = (await createUser(h.database)).id;
  return { userId };
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LONG = Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ");

async function waitFor<T>(probe: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await sleep(25);
  }
}

describe("spending limits", () => {
  it("50 concurrent requests never overspend; what is left cannot pay another, so 429; raising the limit restores it", async () => {
    const limit = 2_000n;
    const { key, row } = await createKey(t.h.database, {
      userId: t.value.userId,
      spendingLimit: limit,
    });
    const sdk = client(t.h.baseURL, key);
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        sdk.chat.completions
          .create({
            model: "modelbridge/echo",
            messages: [{ role: "user", content: LONG }],
            max_tokens: 40,
          })
          .then(
            (c) => c.choices[0].finish_reason,
            (e: InstanceType<typeof OpenAI.APIError>) => e.code,
          ),
      ),
    );
    await t.h.runtime.flush();
    const after = await keyRow(t.h.database, row.id);
    expect(after.spend).toBeLessThanOrEqual(limit);
    expect(after.reserved).toBe(0n);
    expect(results.filter((r) => r === "stop" || r === "length").length).toBeGreaterThan(5);
    expect(results.filter((r) => r === "limit_reached").length).toBeGreaterThan(0);
    expect(results.every((r) => ["stop", "length", "limit_reached"].includes(String(r)))).toBe(
      true,
    );

    // What was charged to the key is what was recorded and drawn from the owner's balance.
    const records = await usageFor(t.h.database, row.id);
    expect(records.reduce((sum, r) => sum + r.cost, 0n)).toBe(after.spend);
    const ledger = await t.h.database.db
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.keyId, row.id));
    expect(ledger.reduce((sum, r) => sum - r.amount, 0n)).toBe(after.spend);

    // Charged exactly what each used: what is left cannot pay for this prompt (issue 26).
    const next = await sdk.chat.completions
      .create({ model: "modelbridge/echo", messages: [{ role: "user", content: LONG }] })
      .catch((e) => e);
    expect(next).toBeInstanceOf(OpenAI.RateLimitError);
    expect(next.code).toBe("limit_reached");

    await t.h.database.db
      .update(apiKeys)
      .set({ spendingLimit: limit * 10n })
      .where(eq(apiKeys.id, row.id));
    await notifyKeyChanged(row.id, t.h.database);
    const restored = await sdk.chat.completions.create({
      model: "modelbridge/echo",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(restored.choices[0].message.content).toBe("Echo: hi");
  });

  it("a stream that would cross the limit is cut there with finish_reason length", async () => {
    const { key, row } = await createKey(t.h.database, {
      userId: t.value.userId,
      spendingLimit: 30n,
    });
    const stream = await client(t.h.baseURL, key).chat.completions.create({
      model: "fake/sse-ignore-max",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
      ...({ fake_chunks: 200, fake_interval_ms: 1 } as object),
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const tokens = chunks.filter((c) => c.choices[0]?.delta.content).length;
    expect(tokens).toBeGreaterThan(0);
    expect(tokens).toBeLessThan(30);
    expect(chunks.at(-1)?.choices[0].finish_reason).toBe("length");
    await t.h.runtime.flush();
    const after = await keyRow(t.h.database, row.id);
    // Charged what it produced (tokens × price), not the whole reservation (issue 26); what
    // is left cannot pay for the smallest request.
    const [record] = await usageFor(t.h.database, row.id);
    expect(record.cost).toBe(BigInt(record.promptTokens) + 2n * BigInt(record.completionTokens));
    expect(after.spend).toBe(record.cost);
    expect(after.spend).toBeLessThanOrEqual(30n);
    expect(keyStatus(after, new Date(), 11n)).toBe("limit_reached");
  });

  it("a key without a limit reserves nothing", async () => {
    const { key, row } = await createKey(t.h.database, { userId: t.value.userId });
    await client(t.h.baseURL, key).chat.completions.create({
      model: "fake/json",
      messages: [{ role: "user", content: "hi" }],
    });
    expect((await keyRow(t.h.database, row.id)).reserved).toBe(0n);
    await t.h.runtime.flush();
    expect((await keyRow(t.h.database, row.id)).spend).toBe(21n);
  });
});

describe("key changes take effect at once", () => {
  it("a key that expires in 2 seconds gets key_expired after that", async () => {
    const { key } = await createKey(t.h.database, {
      userId: t.value.userId,
      expiresAt: new Date(Date.now() + 2000),
    });
    const sdk = client(t.h.baseURL, key);
    await sdk.chat.completions.create({
      model: "fake/json",
      messages: [{ role: "user", content: "hi" }],
    });
    await sleep(2100);
    const error = await sdk.chat.completions
      .create({ model: "fake/json", messages: [{ role: "user", content: "hi" }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error.code).toBe("key_expired");
  });

  it("a revoked key is refused on the very next request", async () => {
    const { key, row } = await createKey(t.h.database, { userId: t.value.userId });
    const sdk = client(t.h.baseURL, key);
    await sdk.chat.completions.create({
      model: "fake/json",
      messages: [{ role: "user", content: "hi" }],
    });
    await t.h.database.db
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(eq(apiKeys.id, row.id));
    await notifyKeyChanged(row.id, t.h.database);
    const error = await sdk.chat.completions
      .create({ model: "fake/json", messages: [{ role: "user", content: "hi" }] })
      .catch((e) => e);
    expect(error.code).toBe("key_revoked");
  });

  it("a revocation by another process reaches this one within 1 s through LISTEN/NOTIFY", async () => {
    // The "other process": its own database connection (on Postgres) and its own gateway
    // runtime with its own key cache. On PGlite, which one process owns, both share the
    // database object and the notification goes through PGlite's LISTEN/NOTIFY.
    const other: Database = t.h.database.url
      ? await openDatabase({ url: t.h.database.url, maxConnections: 2 })
      : t.h.database;
    const runtime = await createGatewayRuntime(other, { log: () => {} });
    const server = http.createServer((req, res) => runtime.handleNode(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const otherUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    try {
      const { key, row } = await createKey(t.h.database, { userId: t.value.userId });
      const sdk = client(otherUrl, key);
      await sdk.chat.completions.create({
        model: "fake/json",
        messages: [{ role: "user", content: "hi" }],
      });

      // Revoke through the first connection and NOTIFY on it — not notifyKeyChanged, whose
      // in-process eviction would reach the other runtime's cache without the database.
      await t.h.database.db
        .update(apiKeys)
        .set({ revokedAt: new Date() })
        .where(eq(apiKeys.id, row.id));
      const revokedAt = Date.now();
      await t.h.database.notify(KEY_CHANNEL, row.id);
      const code = await waitFor(async () => {
        const error = await sdk.chat.completions
          .create({ model: "fake/json", messages: [{ role: "user", content: "hi" }] })
          .then(
            () => undefined,
            (e) => e.code,
          );
        return error === "key_revoked" ? error : undefined;
      }, 1000);
      expect(code).toBe("key_revoked");
      expect(Date.now() - revokedAt).toBeLessThan(1000);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await runtime.shutdown();
      if (other !== t.h.database) await other.close();
    }
  });
});

describe("streams that end badly", () => {
  it("a client that disconnects mid-stream is charged for what was produced, and recorded", async () => {
    const { key, row } = await createKey(t.h.database, { userId: t.value.userId });
    const stream = await client(t.h.baseURL, key).chat.completions.create({
      model: "fake/sse-no-usage",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
      ...({ fake_chunks: 100, fake_interval_ms: 30 } as object),
    });
    let seen = 0;
    const started = Date.now();
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) seen++;
      if (seen === 3) break; // leaves the loop: the SDK aborts the HTTP request
    }
    const record = await waitFor(async () => {
      await t.h.runtime.flush();
      return (await usageFor(t.h.database, row.id))[0];
    });
    // The upstream was aborted: the record came long before its 3 s stream would have ended.
    expect(Date.now() - started).toBeLessThan(2500);
    expect(record.status).toBe(499);
    expect(record.costSource).toBe("estimate");
    expect(record.completionTokens).toBeGreaterThanOrEqual(3);
    expect(record.completionTokens).toBeLessThan(100);
    expect(record.cost).toBeGreaterThan(0n);
    expect((await keyRow(t.h.database, row.id)).spend).toBe(record.cost);
  });

  it("an upstream that dies mid-stream gives the client a clean error and a recorded request", async () => {
    const { key, row } = await createKey(t.h.database, { userId: t.value.userId });
    const stream = await client(t.h.baseURL, key).chat.completions.create({
      model: "fake/reset",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    const text: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) text.push(chunk.choices[0]?.delta.content ?? "");
    })().catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error.error?.code ?? error.code).toBe("upstream_error");
    expect(text.join("")).toBe(" tok tok tok");
    await t.h.runtime.flush();
    const [record] = await usageFor(t.h.database, row.id);
    expect(record).toMatchObject({
      status: 502,
      errorCode: "upstream_error",
      costSource: "estimate",
      completionTokens: 3,
    });
  });

  it("an upstream that stalls mid-stream times out with upstream_timeout", async () => {
    const { key, row } = await createKey(t.h.database, { userId: t.value.userId });
    const stream = await client(t.h.baseURL, key).chat.completions.create({
      model: "fake/hang",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    const error = await (async () => {
      for await (const _ of stream) void _;
    })().catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error.error?.code ?? error.code).toBe("upstream_timeout");
    await t.h.runtime.flush();
    const [record] = await usageFor(t.h.database, row.id);
    expect(record).toMatchObject({ status: 504, errorCode: "upstream_timeout" });
  });

  it("a malformed upstream stream becomes an upstream_error, nothing charged before output", async () => {
    const { key, row } = await createKey(t.h.database, { userId: t.value.userId });
    // Nothing but a malformed event came before [DONE]: no content had reached the client,
    // so the gateway answers the request itself with the error (502) rather than a stream.
    const error = await client(t.h.baseURL, key)
      .chat.completions.create({
        model: "fake/garbage",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
      })
      .then(
        () => null,
        (e: unknown) => e as { status?: number; code?: string },
      );
    expect(error).toMatchObject({ status: 502, code: "upstream_error" });
    await t.h.runtime.flush();
    const [record] = await usageFor(t.h.database, row.id);
    expect(record).toMatchObject({ status: 502, cost: 0n, costSource: "none" });
  });
});
