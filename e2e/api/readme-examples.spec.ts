import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { newSignedInContext } from "../helpers/accounts";

const run = promisify(execFile);

/** The code block that follows `<!-- readme-example: NAME -->` in the README, as written there. */
function readmeExample(name: string): string {
  const readme = fs.readFileSync(path.join(process.cwd(), "README.md"), "utf8");
  const match = readme.match(
    new RegExp(`<!-- readme-example: ${name} -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``),
  );
  if (!match) throw new Error(`README has no example named ${name}`);
  return match[1];
}

test("the README's curl, Node SDK and Responses examples work as written against the demo model", async ({
  browser,
}) => {
  const { context, request } = await newSignedInContext(browser);
  const created = await request.post("/api/v1/keys", {
    data: { name: "README example" },
    headers: { origin: new URL(process.env.MB_BASE_URL!).origin },
  });
  expect(created.status()).toBe(201);
  const { key } = await created.json();
  const baseUrl = `${process.env.MB_BASE_URL}/v1`;

  // The curl example, with its two `export` lines pointed at this server and the new key.
  const curl = readmeExample("curl")
    .replace(/^export OPENAI_BASE_URL=.*$/m, `export OPENAI_BASE_URL=${baseUrl}`)
    .replace(/^export OPENAI_API_KEY=.*$/m, `export OPENAI_API_KEY=${key}`);
  const { stdout: curlOut } = await run("bash", ["-c", curl]);
  const completion = JSON.parse(curlOut);
  expect(completion.object).toBe("chat.completion");
  expect(completion.model).toBe("modelbridge/echo");
  expect(completion.choices[0].message.content).toContain("Hello, model!");
  expect(completion.usage.total_tokens).toBeGreaterThan(0);

  // The Node example, unchanged, in a module beside node_modules so `openai` resolves.
  const script = path.join(process.cwd(), "test-results", `readme-node-${Date.now()}.mjs`);
  fs.mkdirSync(path.dirname(script), { recursive: true });
  fs.writeFileSync(script, readmeExample("node"));
  try {
    const { stdout } = await run(process.execPath, [script], {
      env: { ...process.env, OPENAI_BASE_URL: baseUrl, OPENAI_API_KEY: key, HOME: os.homedir() },
    });
    expect(stdout).toContain("Hello, model!");
  } finally {
    fs.rmSync(script, { force: true });
  }

  // The Responses example, unchanged, the same way.
  const responsesScript = path.join(
    process.cwd(),
    "test-results",
    `readme-responses-${Date.now()}.mjs`,
  );
  fs.writeFileSync(responsesScript, readmeExample("responses"));
  try {
    const { stdout } = await run(process.execPath, [responsesScript], {
      env: { ...process.env, OPENAI_BASE_URL: baseUrl, OPENAI_API_KEY: key, HOME: os.homedir() },
    });
    expect(stdout).toContain("Echo: Hello, Responses!");
  } finally {
    fs.rmSync(responsesScript, { force: true });
  }

  // The calls were metered on the key (usage is written in batches, within about a second).
  await expect
    .poll(async () => {
      const keys = await (await request.get("/api/v1/keys")).json();
      return Number(keys.data.find((k: { name: string }) => k.name === "README example").spend);
    })
    .toBeGreaterThan(0);
  await context.close();
});
