import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createKey,
  createUser,
  registerFakeModels,
  startHarness,
  usageFor,
  type Harness,
} from "../helpers/harness";
import { recordedRequests, registerAnthropicModels } from "../gateway/anthropic-harness";
import { startFakeUpstream, type FakeUpstream } from "../upstream/start-fake-upstream";
import { geminiPrompt, installGeminiCli } from "./gemini-cli";

/**
 * Google's Gemini CLI (0.61) through ModelBridge, set up as a user would (gemini-cli.ts: a
 * base URL and a ModelBridge key), onto an OpenAI-compatible upstream and an Anthropic one.
 * The fakes play an agent's model: offered Gemini CLI's run_shell_command, they call it
 * with `echo modelbridge-tool-ok`, then report the command's output — so the task completes
 * only if the call went out as a Gemini functionCall, Gemini CLI really ran the command,
 * and its functionResponse came back through the translation.
 */
let h: Harness;
let anthropic: FakeUpstream;
let key: string;
let keyId: string;

beforeAll(async () => {
  // Installed first (once per cache), so that the tests' own time is the runs'.
  [, h, anthropic] = await Promise.all([
    installGeminiCli(),
    startHarness(),
    startFakeUpstream({ script: "anthropic" }),
  ]);
  await registerFakeModels(h.database, h.upstream.url, ["sse", "bash-tool"]);
  await registerAnthropicModels(h.database, anthropic.url, ["claude-text", "claude-bash"]);
  const user = await createUser(h.database);
  ({
    key,
    row: { id: keyId },
  } = await createKey(h.database, { userId: user.id }));
}, 420_000);

afterAll(async () => {
  await h?.close();
  await anthropic?.stop();
});

const origin = () => h.baseURL.replace(/\/v1$/, "");

describe("Gemini CLI", () => {
  it.each([
    {
      upstream: "an OpenAI-compatible",
      model: "fake/sse",
      upstreamModel: "sse",
      answer: "tok tok tok",
    },
    {
      upstream: "an Anthropic",
      model: "claude/claude-text",
      upstreamModel: "claude-text",
      answer: "Hello from fake Claude",
    },
  ])(
    "answers a prompt through /v1beta streamGenerateContent on $upstream model",
    async ({ model, upstreamModel, answer }) => {
      const { stdout } = await geminiPrompt({
        baseUrl: origin(),
        apiKey: key,
        model,
        prompt: "Say hello.",
      });
      expect(stdout).toContain(answer);
      const seen = model.startsWith("claude/")
        ? await recordedRequests(anthropic.url)
        : ((await (await fetch(`${h.upstream.url}/_fake/requests`)).json()) as {
            body: Record<string, unknown>;
          }[]);
      expect(
        seen.some((request) => request.body.model === upstreamModel && request.body.stream),
      ).toBe(true);
    },
    180_000,
  );

  it.each([
    { upstream: "an OpenAI-compatible", model: "fake/bash-tool" },
    { upstream: "an Anthropic", model: "claude/claude-bash" },
  ])(
    "runs a shell command and answers with its output, on $upstream model",
    async ({ model }) => {
      const before = (await usageFor(h.database, keyId)).length;
      const { stdout, stderr } = await geminiPrompt({
        baseUrl: origin(),
        apiKey: key,
        model,
        prompt: "Print modelbridge-tool-ok with the shell.",
      });
      // The final answer quotes the command's real output, which only running it produced.
      expect(stdout + stderr).toMatch(/Done:[\s\S]*modelbridge-tool-ok/);
      // Two model turns at least (the call, then the answer), each metered on the key.
      await expect
        .poll(async () => (await usageFor(h.database, keyId)).length, { timeout: 5_000 })
        .toBeGreaterThanOrEqual(before + 2);
      if (model.startsWith("claude/")) {
        const requests = await recordedRequests(anthropic.url);
        const last = requests.at(-1)!.body as {
          tools: { name: string }[];
          messages: { role: string; content: { type: string; content?: unknown }[] }[];
        };
        expect(last.tools.map((tool) => tool.name)).toContain("run_shell_command");
        const results = last.messages
          .flatMap((message) => (Array.isArray(message.content) ? message.content : []))
          .filter((block) => block.type === "tool_result");
        expect(JSON.stringify(results)).toContain("modelbridge-tool-ok");
      }
    },
    180_000,
  );
});
