import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { setProcessDatabase } from "@/db/client";
import { makeActor } from "@/tests/helpers/actors";
import { dumpEveryTable } from "@/tests/helpers/dump-tables";
import { createKey } from "@/lib/keys/create-key";
import { revokeKey } from "@/lib/keys/revoke-key";
import { createModelInput } from "@/lib/models/schemas";
import { createModel } from "@/lib/models/service";
import { client, createUser, startHarness, type Harness } from "../helpers/harness";

/**
 * A whole session through the real parts — keys created by the key service, used on /v1
 * through the SDK (plain, streamed, the model list), a Management key used on /api/v1,
 * one key revoked and then tried again, a model whose upstream needs a credential — and
 * then the database dump, the gateway's structured log and everything the process wrote
 * to stdout/stderr are searched for every raw key and the credential: zero hits.
 * (lib/keys/raw-key-never-stored.test.ts covers the key service's own writes.)
 */
vi.mock("@/lib/auth", () => ({ auth: async () => null }));

let h: Harness;
let written = "";
const restore: (() => void)[] = [];

beforeAll(async () => {
  h = await startHarness();
  setProcessDatabase(h.database);
  // Everything this process prints from here on: console.* and direct stream writes alike.
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      written +=
        typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
      return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => (stream.write = original));
  }
  // vitest routes console.* around the streams, so those are captured on their own.
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      written +=
        args
          .map((arg) => (typeof arg === "string" ? arg : (JSON.stringify(arg) ?? String(arg))))
          .join(" ") + "\n";
      original(...args);
    };
    restore.push(() => (console[method] = original));
  }
});

afterAll(async () => {
  for (const undo of restore) undo();
  await h?.close();
});

describe("a full session leaves no secret behind", () => {
  it("no raw key and no upstream credential in any table, the gateway log or the process output", async () => {
    const db = h.database.db;
    const credential = `sk-upstream-${randomBytes(16).toString("hex")}`;
    const admin = await createUser(h.database, "admin");
    await createModel(
      h.database,
      createModelInput.parse({
        name: "secret/json",
        base_url: h.upstream.url,
        upstream_model: "json",
        api_key: credential,
        input_price_per_million: "1",
        output_price_per_million: "2",
      }),
      admin.id,
    );
    await createModel(
      h.database,
      createModelInput.parse({
        name: "secret/sse",
        base_url: h.upstream.url,
        upstream_model: "sse",
        api_key: credential,
        input_price_per_million: "1",
        output_price_per_million: "2",
      }),
      admin.id,
    );

    const actor = await makeActor(db, "Session");
    const serving = await createKey(db, actor, {
      name: "serving",
      type: "model_serving",
      teamId: null,
      spendingLimit: 50_000_000n,
      expiresAt: null,
    });
    const unlimited = await createKey(db, actor, {
      name: "unlimited",
      type: "model_serving",
      teamId: null,
      spendingLimit: null,
      expiresAt: null,
    });
    const management = await createKey(db, actor, {
      name: "mgmt",
      type: "management",
      teamId: null,
      spendingLimit: null,
      expiresAt: null,
    });
    const raw = [serving.rawKey, unlimited.rawKey, management.rawKey];

    // Used on /v1: plain, streamed, the model list, and the Management key where it is refused.
    const sdk = client(h.baseURL, serving.rawKey);
    const plain = await sdk.chat.completions.create({
      model: "secret/json",
      messages: [{ role: "user", content: "hello" }],
    });
    expect(plain.choices[0].message.content).toBeTruthy();
    const stream = await client(h.baseURL, unlimited.rawKey).chat.completions.create({
      model: "secret/sse",
      messages: [{ role: "user", content: "stream" }],
      stream: true,
    });
    for await (const chunk of stream) void chunk;
    expect((await sdk.models.list()).data.map((m) => m.id)).toContain("secret/json");
    await expect(client(h.baseURL, management.rawKey).models.list()).rejects.toMatchObject({
      status: 403,
    });

    // Used on /api/v1.
    const { GET } = await import("@/app/api/v1/me/route");
    const me = await GET(
      new Request("http://localhost/api/v1/me", {
        headers: { authorization: `Bearer ${management.rawKey}` },
      }),
      { params: Promise.resolve({}) },
    );
    expect(me.status).toBe(200);

    // Revoked, then tried again; and a typo of a real key (logged as a failure, if at all).
    await revokeKey(db, actor, serving.key.id);
    await expect(
      sdk.chat.completions.create({
        model: "secret/json",
        messages: [{ role: "user", content: "again" }],
      }),
    ).rejects.toMatchObject({ status: 401 });
    const typo = unlimited.rawKey.slice(0, -1) + (unlimited.rawKey.endsWith("a") ? "b" : "a");
    await expect(client(h.baseURL, typo).models.list()).rejects.toMatchObject({ status: 401 });
    raw.push(typo);

    await h.runtime.flush();
    const { tables, dump } = await dumpEveryTable(db);
    expect(tables).toEqual(expect.arrayContaining(["api_keys", "models", "usage_records"]));
    // The session really happened: its records are there, so their absence of secrets means something.
    expect(dump).toContain("secret/json");
    expect(dump).toContain(serving.key.id);
    const gatewayLog = h.logs.map((line) => JSON.stringify(line)).join("\n");
    expect(h.logs.length).toBeGreaterThan(0);

    const places = { database: dump, "gateway log": gatewayLog, "process output": written };
    const hits: string[] = [];
    for (const [place, text] of Object.entries(places)) {
      for (const secret of [...raw, ...raw.map((key) => key.slice(8, -4)), credential]) {
        if (text.includes(secret)) hits.push(`${place} holds ${secret.slice(0, 12)}…`);
      }
    }
    expect(hits).toEqual([]);
  });
});
