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

/** The Responses API (what Codex and the Vercel AI SDK speak) for the same conversation. */
export function responsesSnippet(input: SnippetInput): string {
  const {
    model,
    messages,
    max_tokens: maxTokens,
    temperature,
    top_p: topP,
  } = requestBody(input) as Record<string, unknown>;
  const body: Record<string, unknown> = { model, input: messages };
  if (maxTokens !== undefined) body.max_output_tokens = maxTokens;
  if (temperature !== undefined) body.temperature = temperature;
  if (topP !== undefined) body.top_p = topP;
  body.stream = true;
  return [
    `// npm install openai  (save as responses.mjs, run with: node responses.mjs)`,
    `import OpenAI from "openai";`,
    ``,
    `const client = new OpenAI({ baseURL: "${input.baseUrl}/v1", apiKey: process.env.API_KEY });`,
    ``,
    `const stream = await client.responses.create(${indentJson(body, "")});`,
    `for await (const event of stream) {`,
    `  if (event.type === "response.output_text.delta") process.stdout.write(event.delta);`,
    `}`,
    `process.stdout.write("\\n");`,
  ].join("\n");
}

/** Model name shown in the embeddings snippet: the Playground chats with chat models only. */
export const EMBEDDING_MODEL_PLACEHOLDER = "<an embedding model from /v1/models>";

/** Embeddings of the conversation's last message, for RAG tools and LangChain-style clients. */
export function embeddingsSnippet(input: SnippetInput): string {
  const last = input.messages.at(-1)?.content ?? PLACEHOLDER_MESSAGE;
  const json = JSON.stringify({ model: EMBEDDING_MODEL_PLACEHOLDER, input: [last] }, null, 2);
  return [
    `# Models of kind "embedding" in GET /v1/models answer here.`,
    `curl -X POST "${input.baseUrl}/v1/embeddings" \\`,
    `-H "Authorization: Bearer $API_KEY" \\`,
    `-H "Content-Type: application/json" \\`,
    `-d ${shellSingleQuoted(json)}`,
  ].join("\n");
}
