/**
 * The reservation's prompt estimate (lib/gateway/pipeline/prompt-tally.ts) against real
 * tokenizers, on a corpus of realistic requests: `npx tsx scripts/estimator-accuracy.ts`.
 *
 * References:
 * - OpenAI models: gpt-tokenizer's chat encoding for gpt-4o (o200k with the chat format's
 *   per-message tokens), plus o200k of each tool/schema's JSON (OpenAI does not publish
 *   how it renders them; its rendering is shorter than the JSON).
 * - Anthropic models: @anthropic-ai/tokenizer (Claude's published tokenizer; Anthropic
 *   publishes none for current models) over every text part, plus the same 7 tokens of
 *   message framing per message as the estimate.
 * Error = (reserved − reference) / reference: positive is the margin paid for safety.
 */
import { readFileSync } from "node:fs";
import { countTokens as claudeTokens } from "@anthropic-ai/tokenizer";
import { encodeChat } from "gpt-tokenizer/model/gpt-4o";
import { countTokens as o200k } from "gpt-tokenizer/encoding/o200k_base";
import { chatPrompt, messagesPrompt } from "@/lib/gateway/pipeline/request-prompt";
import { preloadTokenizer } from "@/lib/gateway/relay/token-estimate";

const read = (path: string) => readFileSync(path, "utf8");
const safe = { disallowedSpecial: new Set<string>() };
const product = read("/work/shared/PRODUCT.md");
const architecture = read("/work/shared/ARCHITECTURE.md");
const code = read("lib/gateway/budget-lease.ts");
const sql = read("lib/gateway/budget-lease-sql.ts");
const spec = JSON.parse(read("/work/shared/openai-spec/chat-schemas.json"));
const schema = spec.components.schemas.CreateChatCompletionRequest;
const german =
  "Die Kommission hat die Quartalszahlen geprüft und das Team gebeten, die Abweichungen bei den Versandkosten zu erklären. ".repeat(
    40,
  );
const chinese =
  "委员会审查了季度数据，并要求团队解释运输成本的差异。我们需要在下周之前提交一份详细的报告。".repeat(
    40,
  );
const japanese =
  "委員会は四半期の数値を検討し、配送費の差異について説明するようチームに求めました。".repeat(40);
const logs = Array.from(
  { length: 300 },
  (_, i) =>
    `2026-12-07T05:${String(i % 60).padStart(2, "0")}:12.${i}Z level=warn request_id=req_${(i * 7919).toString(16)} status=429 latency_ms=${i * 3}`,
).join("\n");

type Msg = { role: string; content: string };
const chat = (messages: Msg[], extra: Record<string, unknown> = {}) => ({ messages, ...extra });
const turns = (n: number): Msg[] =>
  Array.from({ length: n }, (_, i) => ({
    role: i % 2 ? "assistant" : "user",
    content: product.slice(i * 400, i * 400 + 400),
  }));
const tools = [
  {
    type: "function",
    function: {
      name: "create_chat_completion",
      description: "Sends a chat completion request",
      parameters: schema,
    },
  },
];

const corpus: { name: string; body: Record<string, unknown> }[] = [
  {
    name: "one short question",
    body: chat([{ role: "user", content: "What is the capital of France?" }]),
  },
  {
    name: "system + question",
    body: chat([
      { role: "system", content: "You are a terse assistant." },
      { role: "user", content: "Explain TCP slow start." },
    ]),
  },
  { name: "long prose prompt (~9k)", body: chat([{ role: "user", content: product }]) },
  {
    name: "23k-token prompt",
    body: chat([{ role: "user", content: (product + architecture).repeat(2).slice(0, 100_000) }]),
  },
  { name: "40-turn conversation", body: chat(turns(40)) },
  {
    name: "code review (TypeScript)",
    body: chat([
      { role: "system", content: "Review this code." },
      { role: "user", content: code + sql },
    ]),
  },
  { name: "logs", body: chat([{ role: "user", content: logs }]) },
  { name: "German", body: chat([{ role: "user", content: german }]) },
  { name: "Chinese", body: chat([{ role: "user", content: chinese }]) },
  { name: "Japanese", body: chat([{ role: "user", content: japanese }]) },
  { name: "tools (big schema)", body: chat([{ role: "user", content: "Call it." }], { tools }) },
  {
    name: "response_format schema",
    body: chat([{ role: "user", content: "Fill." }], {
      response_format: { type: "json_schema", json_schema: { name: "r", schema } },
    }),
  },
  {
    name: "special tokens in text",
    body: chat([{ role: "user", content: "<|endoftext|> <|im_start|> ".repeat(50) }]),
  },
];

function openAiReference(body: Record<string, unknown>): number {
  const messages = body.messages as Msg[];
  let total = encodeChat(messages as never, undefined, safe).length;
  for (const part of [body.tools, body.response_format])
    if (part) total += o200k(JSON.stringify(part), safe);
  return total;
}

function claudeReference(body: Record<string, unknown>): number {
  const messages = body.messages as Msg[];
  let total = 3;
  for (const m of messages) total += 4 + claudeTokens(m.content);
  for (const part of [body.tools, body.response_format])
    if (part) total += claudeTokens(JSON.stringify(part));
  return total;
}

await preloadTokenizer();
const rows: string[] = [];
let worstOver = { pct: -Infinity, name: "" };
let worstUnder = { pct: Infinity, name: "" };
for (const { name, body } of corpus) {
  const openai = chatPrompt(body, "openai").reserve;
  const openaiRef = openAiReference(body);
  const system = (body.messages as Msg[]).filter((m) => m.role === "system");
  const rest = (body.messages as Msg[]).filter((m) => m.role !== "system");
  const claudeBody = {
    system: system.map((m) => m.content).join("\n") || undefined,
    messages: rest,
    tools: body.tools,
    output_format: body.response_format,
  };
  const claude = messagesPrompt(claudeBody, "anthropic").reserve;
  const claudeRef = claudeReference(body);
  const pct = (est: number, ref: number) => ((est - ref) / ref) * 100;
  for (const [family, est, ref] of [
    ["openai", openai, openaiRef],
    ["claude", claude, claudeRef],
  ] as const) {
    const p = pct(est, ref);
    if (p > worstOver.pct) worstOver = { pct: p, name: `${name} (${family})` };
    if (p < worstUnder.pct) worstUnder = { pct: p, name: `${name} (${family})` };
  }
  rows.push(
    `| ${name} | ${openaiRef} | ${openai} | ${pct(openai, openaiRef).toFixed(1)}% | ${claudeRef} | ${claude} | ${pct(claude, claudeRef).toFixed(1)}% |`,
  );
}
console.log("| request | gpt-4o (real) | reserved | error | Claude tokenizer | reserved | error |");
console.log("|---|---:|---:|---:|---:|---:|---:|");
for (const row of rows) console.log(row);
console.log(`\nworst over-estimate: +${worstOver.pct.toFixed(1)}% (${worstOver.name})`);
console.log(`worst under-estimate: ${worstUnder.pct.toFixed(1)}% (${worstUnder.name})`);
