import http from "node:http";
import type { AddressInfo } from "node:net";
import net from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeys } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { notifyKeyChanged } from "@/lib/keys/key-notify";
import { refuseUpgrade } from "@/lib/gateway/entry/refuse-upgrade";
import { createKey } from "@/lib/keys/create-key";
import { makeActor } from "../helpers/actors";
import { registerFakeModels, startHarness, type Harness } from "../helpers/harness";
import { startFakeUpstream, type FakeUpstream } from "../upstream/start-fake-upstream";
import { recordedRequests, registerAnthropicModels } from "./anthropic-harness";

/**
 * Protocol details third-party clients showed (issue 28's list): a spent key's 429 says
 * when its period resets and how to raise the limit; a revoked key's 401 says not to
 * retry; /v1/messages refuses a large body with Anthropic's request_too_large; GET
 * /v1/models/{id} answers; a WebSocket upgrade gets an HTTP answer; unsigned thinking
 * blocks do not reach Claude.
 */
let h: Harness;
let anthropic: FakeUpstream;
let alice: Actor;

beforeAll(async () => {
  [h, anthropic] = await Promise.all([startHarness(), startFakeUpstream({ script: "anthropic" })]);
  await registerFakeModels(h.database, h.upstream.url, ["json"]);
  await registerAnthropicModels(h.database, anthropic.url, ["claude-text"]);
  alice = await makeActor(h.database.db, "Alice");
}, 120_000);

afterAll(async () => {
  await h?.close();
  await anthropic?.stop();
});

const newKey = (extra: Record<string, unknown> = {}) =>
  createKey(h.database.db, alice, {
    name: "details",
    type: "model_serving",
    teamId: null,
    spendingLimit: null,
    expiresAt: null,
    ...extra,
  });

const chat = (key: string) =>
  fetch(`${h.baseURL}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "fake/json", messages: [{ role: "user", content: "hi" }] }),
  });

describe("refusals clients retry", () => {
  it("a spent key with a weekly budget: retry-after until Monday 00:00 UTC, and how to raise the limit", async () => {
    const { rawKey } = await newKey({ spendingLimit: 1n, budgetPeriod: "weekly" });
    const response = await chat(rawKey);
    expect(response.status).toBe(429);
    expect(response.headers.get("x-should-retry")).toBe("false");
    const now = new Date();
    const monday = Date.UTC(
      now.getUTCFullYear(),
      now.getUTCMonth(),
      now.getUTCDate() - ((now.getUTCDay() + 6) % 7) + 7,
    );
    const retryAfter = Number(response.headers.get("retry-after"));
    expect(Math.abs(retryAfter - (monday - now.getTime()) / 1000)).toBeLessThan(10);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("limit_reached");
    expect(body.error.message).toMatch(/spending limit is reached/);
    expect(body.error.message).toMatch(/owner can raise or remove it/);
  });

  it("a spent key without periods: no retry-after (waiting will not help)", async () => {
    const { rawKey } = await newKey({ spendingLimit: 1n });
    const response = await chat(rawKey);
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBeNull();
  });

  it("a revoked key's 401 carries x-should-retry: false", async () => {
    const { rawKey, key } = await newKey();
    expect((await chat(rawKey)).status).toBe(200);
    await h.database.db
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(eq(apiKeys.id, key.id));
    await notifyKeyChanged(key.id, h.database);
    const response = await chat(rawKey);
    expect(response.status).toBe(401);
    expect(response.headers.get("x-should-retry")).toBe("false");
  });
});

describe("/v1/messages and /v1/models/{id}", () => {
  it("413 on /v1/messages uses Anthropic's request_too_large type", async () => {
    const { rawKey } = await newKey();
    const response = await fetch(`${h.baseURL}/messages`, {
      method: "POST",
      headers: {
        "x-api-key": rawKey,
        "anthropic-version": "2023-06-01",
        "content-type": "application/json",
      },
      body: JSON.stringify({
        model: "claude/claude-text",
        max_tokens: 10,
        messages: [{ role: "user", content: "x".repeat(9 * 1024 * 1024) }],
      }),
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { type: string; error: { type: string } };
    expect(body).toMatchObject({ type: "error", error: { type: "request_too_large" } });
  });

  it("GET /v1/models/{id}: OpenAI's shape, Anthropic's with anthropic-version, 404 for a model the key may not use", async () => {
    const { rawKey } = await newKey({ allowedModels: ["fake/json"] });
    const get = (id: string, headers: Record<string, string> = {}) =>
      fetch(`${h.baseURL}/models/${id}`, {
        headers: { authorization: `Bearer ${rawKey}`, ...headers },
      });
    const openai = await get("fake/json");
    expect(openai.status).toBe(200);
    expect(await openai.json()).toMatchObject({
      id: "fake/json",
      object: "model",
      owned_by: "organization",
    });
    const claude = await get("fake/json", { "anthropic-version": "2023-06-01" });
    expect(await claude.json()).toMatchObject({
      type: "model",
      id: "fake/json",
      display_name: "fake/json",
    });
    const hidden = await get("claude/claude-text");
    expect(hidden.status).toBe(404);
    expect(((await hidden.json()) as { error: { code: string } }).error.code).toBe(
      "model_not_found",
    );
  });

  it("thinking blocks without a signature are dropped before Claude sees the conversation", async () => {
    const { rawKey } = await newKey();
    const response = await fetch(`${h.baseURL}/messages`, {
      method: "POST",
      headers: {
        "x-api-key": rawKey,
        "anthropic-version": "2023-06-01",
        "content-type": "application/json",
      },
      body: JSON.stringify({
        model: "claude/claude-text",
        max_tokens: 50,
        messages: [
          { role: "user", content: "hi" },
          {
            role: "assistant",
            content: [
              { type: "thinking", thinking: "translated reasoning", signature: "" },
              { type: "thinking", thinking: "Claude's own", signature: "c2lnbmVk" },
              { type: "text", text: "Hello" },
            ],
          },
          { role: "user", content: "again" },
        ],
      }),
    });
    expect(response.status).toBe(200);
    const sent = (await recordedRequests(anthropic.url)).at(-1)!.body as {
      messages: { content: unknown }[];
    };
    expect(sent.messages[1].content).toEqual([
      { type: "thinking", thinking: "Claude's own", signature: "c2lnbmVk" },
      { type: "text", text: "Hello" },
    ]);
  });
});

describe("a WebSocket upgrade on /v1/responses", () => {
  it("gets an HTTP 426 with a message, not a closed socket", async () => {
    const server = http.createServer((_, res) => res.end());
    server.on("upgrade", refuseUpgrade);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, "127.0.0.1", () =>
          socket.write(
            "GET /v1/responses HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" +
              "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
          ),
        );
        let text = "";
        socket.on("data", (chunk) => (text += chunk.toString()));
        socket.on("end", () => resolve(text));
        socket.on("error", reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 426 /);
      expect(answer).toContain("POST /v1/responses");
    } finally {
      server.close();
    }
  });
});
