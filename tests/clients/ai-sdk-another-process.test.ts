import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, streamText } from "ai";
import { openDatabase, type Database } from "@/db/client";
import { createGatewayRuntime, type GatewayRuntime } from "@/lib/gateway/entry/runtime";
import { registerFakeModels, startHarness, userWithKey, type Harness } from "../helpers/harness";

/**
 * The Vercel AI SDK's second turn refers to the first turn's answer by item id
 * (`item_reference`). Behind a load balancer that turn may reach another process: here a
 * second gateway runtime on the same database (its own connections on Postgres), which has
 * never seen the first answer in memory.
 */
let h: Harness;
let other: Database;
let second: GatewayRuntime;
let server: http.Server;
let secondURL: string;
let key: string;

beforeAll(async () => {
  h = await startHarness();
  await registerFakeModels(h.database, h.upstream.url, ["json", "sse", "echo-request"]);
  ({ key } = await userWithKey(h.database));
  other = h.database.url
    ? await openDatabase({ url: h.database.url, maxConnections: 3 })
    : h.database;
  second = await createGatewayRuntime(other, { log: () => {}, config: { usageFlushMs: 100 } });
  server = http.createServer((req, res) => second.handleNode(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  secondURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await second?.shutdown();
  if (other && other !== h.database) await other.close();
  await h?.close();
});

async function secondTurnOnOtherProcess(firstMessages: unknown[]) {
  const bodies: Record<string, unknown>[] = [];
  const watching = createOpenAI({
    baseURL: secondURL,
    apiKey: key,
    fetch: async (url, init) => {
      bodies.push(JSON.parse(String(init?.body)));
      return fetch(url, init);
    },
  });
  const answer = await generateText({
    model: watching("fake/echo-request"),
    messages: [
      { role: "user", content: "hi" },
      ...(firstMessages as []),
      { role: "user", content: "and again" },
    ],
  });
  expect(bodies[0].input).toContainEqual({
    type: "item_reference",
    id: expect.stringMatching(/^msg_/),
  });
  return (JSON.parse(answer.text).body as { messages: unknown[] }).messages;
}

const expected = [
  { role: "user", content: "hi" },
  { role: "assistant", content: " tok tok tok tok tok" },
  { role: "user", content: "and again" },
];

describe("a second turn on another process", () => {
  it("resolves a reference to a non-streamed first answer", async () => {
    const first = await generateText({
      model: createOpenAI({ baseURL: h.baseURL, apiKey: key })("fake/json"),
      prompt: "hi",
    });
    expect(await secondTurnOnOtherProcess(first.response.messages)).toEqual(expected);
  });

  it("resolves a reference to a streamed first answer, sent right after its last event", async () => {
    const first = streamText({
      model: createOpenAI({ baseURL: h.baseURL, apiKey: key })("fake/sse"),
      prompt: "hi",
    });
    await first.consumeStream();
    expect(await secondTurnOnOtherProcess((await first.response).messages)).toEqual(expected);
  });

  it("does not resolve another key's items", async () => {
    const first = await generateText({
      model: createOpenAI({ baseURL: h.baseURL, apiKey: key })("fake/json"),
      prompt: "hi",
    });
    const { key: strangerKey } = await userWithKey(h.database);
    const stranger = createOpenAI({ baseURL: secondURL, apiKey: strangerKey });
    await expect(
      generateText({
        model: stranger("fake/echo-request"),
        messages: [{ role: "user", content: "hi" }, ...first.response.messages],
      }),
    ).rejects.toThrow(/item_reference|reference/i);
  });
});
