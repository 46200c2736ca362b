import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createKey,
  createUser,
  registerFakeModels,
  startHarness,
  usageFor,
  type Harness,
} from "../helpers/harness";
import { codexExec } from "./codex-exec";
import { installCliClient } from "./install-client";

/**
 * OpenAI's Codex CLI (0.171, which speaks only the Responses API) through ModelBridge to a
 * chat-only upstream, as a user sets it up (codex-exec.ts). The fake upstream plays an
 * agent's model: it asks Codex to run a shell command, then reports the command's output —
 * so the task only completes if Codex's tool call and its result both made it through the
 * translation.
 */
let h: Harness;
let key: string;
let keyId: string;

beforeAll(async () => {
  // Installed first (once per cache), so that the test's own time is the run's.
  [, h] = await Promise.all([installCliClient("@openai/codex@0.171", "codex"), startHarness()]);
  await registerFakeModels(h.database, h.upstream.url, ["tools"]);
  const user = await createUser(h.database);
  ({
    key,
    row: { id: keyId },
  } = await createKey(h.database, { userId: user.id }));
}, 360_000);

afterAll(async () => {
  await h?.close();
});

describe("Codex CLI", () => {
  it("codex exec completes a task that runs a shell command, through /v1/responses onto chat completions", async () => {
    const { stdout, stderr } = await codexExec({
      baseURL: h.baseURL,
      model: "fake/tools",
      apiKey: key,
      task: "Print modelbridge-tool-ok with the shell.",
    });

    // Codex's final message is the model's answer to the command's real output.
    expect(stdout + stderr).toContain("Done:");
    expect(stdout).toMatch(/Done:[\s\S]*modelbridge-tool-ok/);

    // What the chat upstream saw: Codex's tools as chat functions (namespaces flattened, web
    // search left out), then the command's output as a tool message.
    const seen = (await (await fetch(`${h.upstream.url}/_fake/requests`)).json()) as {
      url: string;
      body: {
        tools?: { function: { name: string } }[];
        messages: { role: string; content: unknown }[];
      };
    }[];
    const turns = seen.filter((r) => r.url === "/v1/chat/completions");
    expect(turns.length).toBeGreaterThanOrEqual(2);
    const names = turns[0].body.tools!.map((t) => t.function.name);
    expect(names).toContain("exec_command");
    expect(names.some((name) => name.includes("__"))).toBe(true);
    expect(names).not.toContain("web_search");
    const toolMessage = turns.at(-1)!.body.messages.find((m) => m.role === "tool");
    expect(String(toolMessage?.content)).toContain("modelbridge-tool-ok");

    await h.runtime.flush();
    const rows = await usageFor(h.database, keyId);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows)
      expect(row).toMatchObject({
        endpoint: "responses",
        streamed: true,
        status: 200,
        costSource: "upstream",
      });
  }, 120_000);
});
