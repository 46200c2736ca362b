import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createKey, createUser, registerFakeModels, startHarness, usageFor, type Harness } from "../gateway/harness";
import { installCliClient } from "./install-client";

/**
 * OpenAI's Codex CLI (0.171, which speaks only the Responses API) through ModelBridge to a
 * chat-only upstream, as a user sets it up: a model provider whose base_url is the
 * gateway's /v1, the key in an environment variable, `wire_api = "responses"`. The fake
 * upstream plays an agent's model: it asks Codex to run a shell command, then reports the
 * command's output — so the task only completes if Codex's tool call and its result both
 * made it through the translation.
 */

/** Runs a command to its end with stdin closed (codex exec reads stdin until EOF otherwise). */
function run(command: string, args: string[], options: { cwd: string; env: Record<string, string | undefined>; timeout: number }) {
  return new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (data) => (stdout += data));
    child.stderr.on("data", (data) => (stderr += data));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeout);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else reject(Object.assign(new Error(`exit ${code}`), { stdout, stderr }));
    });
  });
}
let h: Harness;
let key: string;
let keyId: string;
let codex: string;
let home: string;

beforeAll(async () => {
  [codex, h] = await Promise.all([installCliClient("@openai/codex@0.171", "codex"), startHarness()]);
  await registerFakeModels(h.database, h.upstream.url, ["tools"]);
  const user = await createUser(h.database);
  ({ key, row: { id: keyId } } = await createKey(h.database, { userId: user.id }));
  home = await mkdtemp(path.join(os.tmpdir(), "mb-codex-"));
}, 360_000);

afterAll(async () => {
  await h?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

describe("Codex CLI", () => {
  it("codex exec completes a task that runs a shell command, through /v1/responses onto chat completions", async () => {
    const codexHome = path.join(home, ".codex");
    const workdir = path.join(home, "work");
    await mkdir(codexHome, { recursive: true });
    await mkdir(workdir, { recursive: true });
    await writeFile(
      path.join(codexHome, "config.toml"),
      [
        'model = "fake/tools"',
        'model_provider = "modelbridge"',
        "",
        "[model_providers.modelbridge]",
        'name = "ModelBridge"',
        `base_url = "${h.baseURL}"`,
        'env_key = "MODELBRIDGE_API_KEY"',
        'wire_api = "responses"',
        "",
      ].join("\n"),
    );
    const { stdout, stderr } = await run(
      codex,
      ["exec", "--skip-git-repo-check", "--dangerously-bypass-approvals-and-sandbox", "Print modelbridge-tool-ok with the shell."],
      {
        cwd: workdir,
        env: { PATH: process.env.PATH, HOME: home, CODEX_HOME: codexHome, MODELBRIDGE_API_KEY: key, NO_COLOR: "1", RUST_LOG: "error" },
        timeout: 90_000,
      },
    ).catch((error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`codex exec failed: ${error.message}\n${error.stdout}\n${error.stderr}`);
    });

    // Codex's final message is the model's answer to the command's real output.
    expect(stdout + stderr).toContain("Done:");
    expect(stdout).toMatch(/Done:[\s\S]*modelbridge-tool-ok/);

    // What the chat upstream saw: Codex's tools as chat functions (namespaces flattened, web
    // search left out), then the command's output as a tool message.
    const seen = (await (await fetch(`${h.upstream.url}/_fake/requests`)).json()) as { url: string; body: { tools?: { function: { name: string } }[]; messages: { role: string; content: unknown }[] } }[];
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
    for (const row of rows) expect(row).toMatchObject({ endpoint: "responses", streamed: true, status: 200, costSource: "upstream" });
  }, 120_000);
});
