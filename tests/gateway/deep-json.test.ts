import { describe, expect, it } from "vitest";
import { registerFakeModels, harnessForFile, userWithKey } from "../helpers/harness";

/**
 * Issue 27 item 10: JSON nested far deeper than any real request (a `tool_use.input` 50,000
 * deep overflowed the stack in the prompt estimate: a RangeError, a 500) is a 400 on every
 * /v1 endpoint, and the server goes on serving.
 */
const t = harnessForFile(async (h) => {
  await registerFakeModels(h.database, h.upstream.url, ["json"]);
  const { key } = await userWithKey(h.database);
  return { key };
});

const deep = (n: number) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`;

async function post(path: string, body: string) {
  const response = await fetch(`${t.h.baseURL}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${t.value.key}`, "content-type": "application/json" },
    body,
  });
  return { status: response.status, json: (await response.json()) as { error?: any } };
}

describe("deeply nested JSON", () => {
  it("/v1/messages with tool_use.input nested 50,000 deep: 400", async () => {
    const body = `{"model":"fake/json","max_tokens":10,"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":${deep(50_000)}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"ok"}]}]}`;
    const answer = await post("/messages", body);
    expect(answer.status).toBe(400);
    expect(answer.json.error.message).toMatch(/deeper than 100/);
  });

  it.each(["/chat/completions", "/responses", "/completions", "/embeddings"])(
    "%s nested 50,000 deep: 400",
    async (path) => {
      const answer = await post(path, `{"model":"fake/json","input":${deep(50_000)}}`);
      expect(answer.status).toBe(400);
    },
  );

  it("ordinary nesting passes, and the server still answers", async () => {
    const answer = await post(
      "/chat/completions",
      JSON.stringify({
        model: "fake/json",
        messages: [{ role: "user", content: "hi" }],
        metadata: {},
      }),
    );
    expect(answer.status).toBe(200);
  });
});
