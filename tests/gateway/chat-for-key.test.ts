import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { apiKeys } from "@/db/schema";
import { chatCompletionsForKey } from "@/lib/gateway/entry/chat-for-key";
import { notifyKeyChanged } from "@/lib/keys/key-notify";
import { hashKey } from "@/lib/keys/format";
import { createKey, harnessWithUser, keyRow, usageFor } from "../helpers/harness";

/** The in-process entry the Playground uses: a key by its stored hash, the rest as `/v1`. */
const t = harnessWithUser();

const body = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const call = (keyHash: string, payload: unknown) =>
  chatCompletionsForKey(t.h.runtime.deps, {
    keyHash,
    body: body(payload),
    signal: new AbortController().signal,
  });
const errorOf = (response: { body: unknown }) => JSON.parse(String(response.body)).error;

describe("chatCompletionsForKey", () => {
  it("answers, charges the key and records the request like a /v1 call", async () => {
    const { key, row } = await createKey(t.h.database, { userId: t.value.userId });
    const response = await call(hashKey(key), {
      model: "modelbridge/echo",
      messages: [{ role: "user", content: "hi there" }],
    });
    expect(response.status).toBe(200);
    expect(response.headers["x-request-id"]).toMatch(/^req_/);
    expect(
      JSON.parse(Buffer.from(response.body as Uint8Array).toString("utf8")).choices[0].message
        .content,
    ).toBe("Echo: hi there");
    await t.h.runtime.flush();
    const [record] = await usageFor(t.h.database, row.id);
    expect(record).toMatchObject({
      status: 200,
      endpoint: "chat.completions",
      userId: t.value.userId,
      model: "modelbridge/echo",
    });
    expect(record.cost).toBeGreaterThan(0n);
    expect((await keyRow(t.h.database, row.id)).spend).toBe(record.cost);
  });

  it("applies the key's status like /v1: unknown, revoked, management, limit reached", async () => {
    expect(errorOf(await call(hashKey("mb_live_nope"), {})).code).toBe("invalid_api_key");

    const revoked = await createKey(t.h.database, { userId: t.value.userId });
    await t.h.database.db
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(eq(apiKeys.id, revoked.row.id));
    await notifyKeyChanged(revoked.row.id, t.h.database);
    const refused = await call(hashKey(revoked.key), {
      model: "modelbridge/echo",
      messages: [{ role: "user", content: "x" }],
    });
    expect(refused.status).toBe(401);
    expect(errorOf(refused).code).toBe("key_revoked");

    const management = await createKey(t.h.database, {
      userId: t.value.userId,
      type: "management",
    });
    const wrong = await call(hashKey(management.key), {
      model: "modelbridge/echo",
      messages: [{ role: "user", content: "x" }],
    });
    expect(wrong.status).toBe(403);
    expect(errorOf(wrong).code).toBe("wrong_key_type");

    const spent = await createKey(t.h.database, { userId: t.value.userId, spendingLimit: 1n });
    await t.h.database.db.update(apiKeys).set({ spend: 1n }).where(eq(apiKeys.id, spent.row.id));
    await notifyKeyChanged(spent.row.id, t.h.database);
    const limited = await call(hashKey(spent.key), {
      model: "modelbridge/echo",
      messages: [{ role: "user", content: "x" }],
    });
    expect(limited.status).toBe(429);
    expect(errorOf(limited).code).toBe("limit_reached");

    const bad = await call(
      hashKey((await createKey(t.h.database, { userId: t.value.userId })).key),
      { model: "modelbridge/echo" },
    );
    expect(bad.status).toBe(400);
    expect(errorOf(bad).code).toBe("invalid_request");
  });
});
