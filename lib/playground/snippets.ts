import type { PlaygroundMessage, PlaygroundParams } from "./schemas";

/**
 * The code the Playground shows beside the chat: what reproduces the current request from
 * a terminal or an application. Pure functions (no secrets): the key is always the
 * `$API_KEY` placeholder, read from the environment by the SDK snippets.
 */
export interface SnippetInput {
  /** The server's base URL without a trailing slash, e.g. `https://models.example.com`. */
  baseUrl: string;
  model: string;
  messages: PlaygroundMessage[];
  params: PlaygroundParams;
}

/** Shown when the conversation is still empty, as in Bridge's own example. */
export const PLACEHOLDER_MESSAGE = "<your message here>";

export function endpointUrl(baseUrl: string): string {
  return `${baseUrl}/v1/chat/completions`;
}

function requestBody({ model, messages, params }: SnippetInput): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model,
    messages: messages.length > 0 ? messages : [{ role: "user", content: PLACEHOLDER_MESSAGE }],
  };
  // Only what is set: an upstream such as OpenAI itself rejects an unknown top_k.
  for (const name of ["top_k", "top_p", "temperature", "max_tokens"] as const) {
    if (params[name] !== undefined) body[name] = params[name];
  }
  return body;
}

/** Inside single quotes a shell takes everything literally, except the quote itself. */
function shellSingleQuoted(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

export function curlSnippet(input: SnippetInput): string {
  const json = JSON.stringify(requestBody(input), null, 2);
  return [
    `curl -X POST "${endpointUrl(input.baseUrl)}" \\`,
    `-H "Authorization: Bearer $API_KEY" \\`,
    `-H "Content-Type: application/json" \\`,
    `-d ${shellSingleQuoted(json)}`,
  ].join("\n");
}

export function pythonSnippet(input: SnippetInput): string {
  const { model, messages, ...rest } = requestBody(input);
  const { top_k: topK, ...standard } = rest;
  const args = [
    `    model=${JSON.stringify(model)},`,
    `    messages=${indentJson(messages, "    ")},`,
    ...Object.entries(standard).map(([name, value]) => `    ${name}=${JSON.stringify(value)},`),
    // Not one of OpenAI's parameters: the SDK sends extra_body as is (vLLM reads top_k).
    ...(topK !== undefined ? [`    extra_body={"top_k": ${JSON.stringify(topK)}},`] : []),
    `    stream=True,`,
  ];
  return [
    `# pip install openai`,
    `import os`,
    `from openai import OpenAI`,
    ``,
    `client = OpenAI(base_url="${input.baseUrl}/v1", api_key=os.environ["API_KEY"])`,
    ``,
    `stream = client.chat.completions.create(`,
    ...args,
    `)`,
    `for chunk in stream:`,
    `    if chunk.choices and chunk.choices[0].delta.content:`,
    `        print(chunk.choices[0].delta.content, end="", flush=True)`,
    `print()`,
  ].join("\n");
}

export function nodeSnippet(input: SnippetInput): string {
  const body = { ...requestBody(input), stream: true };
  return [
    `// npm install openai  (save as chat.mjs, run with: node chat.mjs)`,
    `import OpenAI from "openai";`,
    ``,
    `const client = new OpenAI({ baseURL: "${input.baseUrl}/v1", apiKey: process.env.API_KEY });`,
    ``,
    `// Fields the SDK does not know, such as top_k, are sent as they are.`,
    `const stream = await client.chat.completions.create(${indentJson(body, "")});`,
    `for await (const chunk of stream) {`,
    `  process.stdout.write(chunk.choices[0]?.delta?.content ?? "");`,
    `}`,
    `process.stdout.write("\\n");`,
  ].join("\n");
}

/** JSON is valid Python and JavaScript for what a request holds (strings, numbers, lists, objects). */
function indentJson(value: unknown, indent: string): string {
  return JSON.stringify(value, null, 2).replaceAll("\n", `\n${indent}`);
}
