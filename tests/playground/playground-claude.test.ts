import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { setProcessDatabase, type Database } from "@/db/client";
import { clearProcessSingleton } from "@/lib/singleton";
import { createUser } from "@/lib/users/service";
import { openTestDatabase } from "../helpers/database";
import { registerAnthropicModels } from "../gateway/anthropic-harness";
import { startFakeUpstream, type FakeUpstream } from "../upstream/start-fake-upstream";

/**
 * The Playground chatting with a Claude model (provider `anthropic`): its chat request is
 * translated to Messages and the answer streams back as chat chunks, with usage.
 */
const state = vi.hoisted(() => {
  process.env.GATEWAY_USAGE_FLUSH_MS = "50";
  process.env.LOG_LEVEL = "silent";
  process.env.ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
  return { session: null as { user: { id: string } } | null };
});
vi.mock("@/lib/auth", () => ({ auth: async () => state.session }));

let database: Database;
let upstream: FakeUpstream;
const ORIGIN = "http://localhost";

beforeAll(async () => {
  [database, upstream] = await Promise.all([
    openTestDatabase(),
    startFakeUpstream({ script: "anthropic" }),
  ]);
  setProcessDatabase(database);
  await registerAnthropicModels(database, upstream.url, ["claude-text"]);
});

afterAll(async () => {
  const { getGatewayRuntime } = await import("@/lib/gateway/entry/runtime");
  await (await getGatewayRuntime()).shutdown();
  clearProcessSingleton("gateway.runtime");
  clearProcessSingleton("database");
  await upstream?.stop();
  await database?.close();
});

describe("the Playground on a Claude model", () => {
  it("streams the translated answer with its usage", async () => {
    const user = await createUser(database.db, {
      email: `pgc-${Date.now()}@example.com`,
      name: "Player",
      password: "password-playground",
    });
    state.session = { user: { id: user.id } };
    const { POST } = await import("@/app/api/playground/chat/route");
    const response = await POST(
      new Request(`${ORIGIN}/api/playground/chat`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: ORIGIN },
        body: JSON.stringify({
          model: "claude/claude-text",
          messages: [{ role: "user", content: "hi" }],
          temperature: 0.2,
          top_k: 5,
          max_tokens: 200,
        }),
      }),
    );
    expect(response.status).toBe(200);
    const text = await response.text();
    let content = "";
    let usage: unknown = null;
    for (const line of text.split("\n")) {
      if (!line.startsWith("data: ") || line === "data: [DONE]") continue;
      const chunk = JSON.parse(line.slice(6));
      content += chunk.choices?.[0]?.delta?.content ?? "";
      usage ??= chunk.usage ?? null;
    }
    expect(content).toBe("Hello from fake Claude");
    expect(usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 4 });
    expect(text).toContain("data: [DONE]");
  });
});
