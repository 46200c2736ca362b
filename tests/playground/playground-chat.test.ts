import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { setProcessDatabase, type Database } from "@/db/client";
import { apiKeys, ledgerEntries, models, usageRecords } from "@/db/schema";
import { notifyKeyChanged } from "@/lib/keys/key-notify";
import { notifyModelChanged } from "@/lib/models/model-notify";
import { clearProcessSingleton } from "@/lib/singleton";
import { createUser } from "@/lib/users/service";
import { openTestDatabase } from "../helpers/database";

/**
 * The Playground route (`POST /api/playground/chat`) through its App Router handler, on a
 * real database and the process's real gateway runtime. Only next-auth's `auth()` is
 * replaced (it cannot load outside Next): it returns whichever session the test sets.
 */
const state = vi.hoisted(() => {
  process.env.GATEWAY_ECHO_PACE_MS = "5";
  process.env.GATEWAY_USAGE_FLUSH_MS = "50";
  process.env.LOG_LEVEL = "silent";
  process.env.ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
  return { session: null as { user: { id: string } } | null };
});
vi.mock("@/lib/auth", () => ({ auth: async () => state.session }));

let database: Database;
const ORIGIN = "http://localhost";

beforeAll(async () => {
  database = await openTestDatabase();
  setProcessDatabase(database);
});

afterAll(async () => {
  const { getGatewayRuntime } = await import("@/lib/gateway/entry/runtime");
  await (await getGatewayRuntime()).shutdown();
  clearProcessSingleton("gateway.runtime");
  clearProcessSingleton("database");
  await database?.close();
});

let users = 0;
async function signIn() {
  users++;
  const user = await createUser(database.db, {
    email: `pg${users}-${Date.now()}@example.com`,
    name: `Player ${users}`,
    password: "password-playground",
  });
  state.session = { user: { id: user.id } };
  return user;
}

async function post(body: unknown, headers: Record<string, string> = { origin: ORIGIN }) {
  const { POST } = await import("@/app/api/playground/chat/route");
  return POST(
    new Request(`${ORIGIN}/api/playground/chat`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    }),
  );
}

/** Reads an SSE answer to the end: the text, and whether the usage chunk came. */
async function readAnswer(response: Response) {
  const text = await response.text();
  let content = "";
  let usage: unknown = null;
  for (const line of text.split("\n")) {
    if (!line.startsWith("data: ") || line === "data: [DONE]") continue;
    const chunk = JSON.parse(line.slice(6));
    content += chunk.choices?.[0]?.delta?.content ?? "";
    usage ??= chunk.usage ?? null;
  }
  return { content, usage, done: text.includes("data: [DONE]") };
}

async function flush() {
  const { getGatewayRuntime } = await import("@/lib/gateway/entry/runtime");
  await (await getGatewayRuntime()).flush();
}

const playgroundKeys = (userId: string) =>
  database.db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.createdBy, userId), eq(apiKeys.name, "Playground")));
const recordsOf = (keyId: string) =>
  database.db
    .select()
    .from(usageRecords)
    .where(eq(usageRecords.keyId, keyId))
    .orderBy(usageRecords.createdAt);
const echo = (content: string) => ({
  model: "modelbridge/echo",
  messages: [{ role: "user", content }],
  temperature: 0.2,
  top_p: 0.9,
  top_k: 5,
  max_tokens: 200,
});

describe("POST /api/playground/chat", () => {
  it("refuses a request without a session", async () => {
    state.session = null;
    const response = await post(echo("hi"));
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe("unauthenticated");
  });

  it("refuses a cross-origin request riding on the session cookie", async () => {
    const user = await signIn();
    const response = await post(echo("hi"), { origin: "https://evil.example" });
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe("forbidden");
    expect(await playgroundKeys(user.id)).toHaveLength(0);
    // No Origin and no Fetch Metadata: not provably same-origin either.
    expect((await post(echo("hi"), {})).status).toBe(403);
  });

  it("accepts only the Playground's own fields", async () => {
    await signIn();
    const extra = await post({ ...echo("hi"), n: 5 });
    expect(extra.status).toBe(422);
    const empty = await post({ model: "modelbridge/echo", messages: [] });
    expect(empty.status).toBe(422);
    expect((await empty.json()).error.param).toBe("messages");
    expect((await post({ ...echo("hi"), temperature: 9 })).status).toBe(422);
  });

  it("streams the answer and charges and records it to the user's Playground key, created once", async () => {
    const user = await signIn();
    const first = await post(echo("hello playground"));
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toContain("text/event-stream");
    const answer = await readAnswer(first);
    expect(answer).toMatchObject({ content: "Echo: hello playground", done: true });
    expect(answer.usage).toMatchObject({ completion_tokens: expect.any(Number) });

    const second = await post({
      ...echo("again"),
      messages: [
        { role: "user", content: "hello playground" },
        { role: "assistant", content: "Echo: hello playground" },
        { role: "user", content: "again" },
      ],
    });
    expect((await readAnswer(second)).content).toBe("Echo: again");
    await flush();

    const keys = await playgroundKeys(user.id);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ type: "model_serving", teamId: null, revokedAt: null });
    const records = await recordsOf(keys[0].id);
    expect(records.map((r) => [r.status, r.streamed, r.userId, r.model])).toEqual([
      [200, true, user.id, "modelbridge/echo"],
      [200, true, user.id, "modelbridge/echo"],
    ]);
    expect(records.every((r) => r.cost > 0n && r.completionTokens > 0)).toBe(true);
    const total = records.reduce((sum, r) => sum + r.cost, 0n);
    expect(keys[0].spend).toBe(total);
    expect(keys[0].lastUsedAt).not.toBeNull();
    // Drawn from the user's personal balance, like any personal key's spend.
    const ledger = await database.db
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.keyId, keys[0].id));
    expect(ledger.reduce((sum, r) => sum - r.amount, 0n)).toBe(total);
  });

  it("two first messages at once still make one Playground key", async () => {
    const user = await signIn();
    const answers = await Promise.all([post(echo("one")), post(echo("two"))]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    await Promise.all(answers.map(readAnswer));
    expect(await playgroundKeys(user.id)).toHaveLength(1);
  });

  it("Stop: a stream the browser cancels is recorded and charged for what was produced", async () => {
    const user = await signIn();
    const long = Array.from({ length: 150 }, (_, i) => `word${i}`).join(" ");
    const response = await post(echo(long));
    const reader = response.body!.getReader();
    let received = "";
    while (!received.includes("word3")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the stream ended before Stop");
      received += new TextDecoder().decode(value);
    }
    await reader.cancel();
    await flush();
    const [key] = await playgroundKeys(user.id);
    const [record] = await recordsOf(key.id);
    expect(record.status).toBe(499);
    expect(record.errorCode).toBe("client_closed");
    expect(record.completionTokens).toBeGreaterThan(0);
    expect(record.completionTokens).toBeLessThan(150);
    expect(record.cost).toBeGreaterThan(0n);
  });

  it("shows the gateway's errors: limit reached on the Playground key, a disabled model", async () => {
    const user = await signIn();
    await readAnswer(await post(echo("spend a little")));
    await flush();
    const [key] = await playgroundKeys(user.id);
    await database.db
      .update(apiKeys)
      .set({ spendingLimit: key.spend })
      .where(eq(apiKeys.id, key.id));
    await notifyKeyChanged(key.id, database);
    const limited = await post(echo("more"));
    expect(limited.status).toBe(429);
    expect((await limited.json()).error).toMatchObject({
      code: "limit_reached",
      type: "insufficient_quota",
    });
    // The limit the user set is honoured: no second key to get around it.
    expect(await playgroundKeys(user.id)).toHaveLength(1);

    await signIn();
    await database.db
      .update(models)
      .set({ enabled: false })
      .where(eq(models.name, "modelbridge/echo"));
    await notifyModelChanged(database, "modelbridge/echo");
    try {
      const disabled = await post(echo("hi"));
      expect(disabled.status).toBe(404);
      expect((await disabled.json()).error.code).toBe("model_not_found");
    } finally {
      await database.db
        .update(models)
        .set({ enabled: true })
        .where(eq(models.name, "modelbridge/echo"));
      await notifyModelChanged(database, "modelbridge/echo");
    }
  });

  it("a revoked Playground key is replaced by a new one on the next message", async () => {
    const user = await signIn();
    await readAnswer(await post(echo("first")));
    const [old] = await playgroundKeys(user.id);
    await database.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, old.id));
    await notifyKeyChanged(old.id, database);
    expect((await readAnswer(await post(echo("after revoke")))).content).toBe("Echo: after revoke");
    const keys = await playgroundKeys(user.id);
    expect(keys).toHaveLength(2);
    expect(keys.filter((k) => k.revokedAt === null)).toHaveLength(1);
  });
});
