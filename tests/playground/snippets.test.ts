import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createModelInput } from "@/lib/models/schemas";
import { createModel } from "@/lib/models/service";
import {
  curlSnippet,
  EMBEDDING_MODEL_PLACEHOLDER,
  embeddingsSnippet,
  nodeSnippet,
  PLACEHOLDER_MESSAGE,
  pythonSnippet,
  responsesSnippet,
} from "@/lib/playground/snippets";
import { createKey, createUser, harnessForFile } from "../helpers/harness";

/** The Playground's code snippets: the curl command is run as shown, against a real gateway. */
const run = promisify(execFile);

const t = harnessForFile(async (h) => {
  const baseUrl = h.baseURL.replace(/\/v1$/, "");
  const key = (await createKey(h.database, { userId: (await createUser(h.database)).id })).key;
  return { baseUrl, key };
});

const params = { temperature: 0.1, top_p: 0.2, top_k: 1, max_tokens: 1000 };

describe("Playground snippets", () => {
  it("the curl command, with a real key in place of $API_KEY, works in a shell, quotes and all", async () => {
    // A quote, a dollar sign and a backslash: what breaks a carelessly quoted command.
    const content = `it's $HOME and \\n "quoted"`;
    const command = curlSnippet({
      baseUrl: t.value.baseUrl,
      model: "modelbridge/echo",
      messages: [{ role: "user", content }],
      params,
    });
    expect(command).toContain(`curl -X POST "${t.value.baseUrl}/v1/chat/completions"`);
    expect(command).toContain(`-H "Authorization: Bearer $API_KEY"`);
    const { stdout } = await run("bash", ["-c", command.replace("$API_KEY", t.value.key)]);
    expect(JSON.parse(stdout).choices[0].message.content).toBe(`Echo: ${content}`);
  });

  it("sends only the parameters that are set, and a placeholder message before the first one", () => {
    const command = curlSnippet({
      baseUrl: t.value.baseUrl,
      model: "modelbridge/echo",
      messages: [],
      params: { max_tokens: 10 },
    });
    const json = JSON.parse(command.slice(command.indexOf("-d '") + 4, -1));
    expect(json).toEqual({
      model: "modelbridge/echo",
      messages: [{ role: "user", content: PLACEHOLDER_MESSAGE }],
      max_tokens: 10,
    });
  });

  it("the SDK snippets read the key from the environment and pass top_k through", () => {
    const input = {
      baseUrl: t.value.baseUrl,
      model: "modelbridge/echo",
      messages: [{ role: "user" as const, content: "hi" }],
      params,
    };
    const python = pythonSnippet(input);
    expect(python).toContain(
      `OpenAI(base_url="${t.value.baseUrl}/v1", api_key=os.environ["API_KEY"])`,
    );
    expect(python).toContain(`extra_body={"top_k": 1}`);
    expect(python).toContain(`temperature=0.1,`);
    const node = nodeSnippet(input);
    expect(node).toContain(
      `new OpenAI({ baseURL: "${t.value.baseUrl}/v1", apiKey: process.env.API_KEY })`,
    );
    expect(node).toContain(`"top_k": 1`);
    expect(python).not.toContain(t.value.key);
    expect(node).not.toContain(t.value.key);
  });

  it("the Responses snippet runs as shown (Node, the official SDK) and streams the answer", async () => {
    const code = responsesSnippet({
      baseUrl: t.value.baseUrl,
      model: "modelbridge/echo",
      messages: [{ role: "user", content: "hello responses" }],
      params: { max_tokens: 50 },
    });
    expect(code).toContain("client.responses.create(");
    expect(code).toContain(`"max_output_tokens": 50`);
    // Beside node_modules, so that `openai` resolves as it would in the user's project.
    const file = path.join(process.cwd(), "test-results", `responses-snippet-${process.pid}.mjs`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, code);
    try {
      const { stdout } = await run(process.execPath, [file], {
        env: { ...process.env, API_KEY: t.value.key },
      });
      expect(stdout.trim()).toBe("Echo: hello responses");
    } finally {
      rmSync(file, { force: true });
    }
  });

  it("the embeddings snippet works in a shell once an embedding model is named", async () => {
    const admin = await createUser(t.h.database, "admin");
    await createModel(
      t.h.database,
      createModelInput.parse({
        name: "fake/embed",
        kind: "embedding",
        base_url: t.h.upstream.url,
        upstream_model: "embed",
        input_price_per_million: "1",
        output_price_per_million: "0",
      }),
      admin.id,
    );
    const command = embeddingsSnippet({
      baseUrl: t.value.baseUrl,
      model: "modelbridge/echo",
      messages: [{ role: "user", content: "it's text" }],
      params: {},
    });
    expect(command).toContain(`curl -X POST "${t.value.baseUrl}/v1/embeddings"`);
    const { stdout } = await run("bash", [
      "-c",
      command.replace("$API_KEY", t.value.key).replace(EMBEDDING_MODEL_PLACEHOLDER, "fake/embed"),
    ]);
    expect(JSON.parse(stdout).data[0].embedding).toHaveLength(8);
  });
});
