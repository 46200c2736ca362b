import { PER_MESSAGE_TOKENS, PromptTally } from "./prompt-tally";
import type { ResolvedModel } from "../types";
import { preloadTokenizer, type PromptSize, type TokenFamily } from "../relay/token-estimate";

export type { PromptSize };

/**
 * Every billable part of each protocol's request, in one place per protocol, so that the
 * reservation (PromptTally.reserve) and the charge without usage (PromptTally.count) see
 * the same prompt. Fields the upstream does not bill as prompt (sampling settings, caps,
 * metadata) are left out on purpose.
 */
const asObject = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" ? (value as Record<string, unknown>) : {};

/** Chat Completions: messages, tools, legacy functions, response_format and tool choice. */
export function chatPrompt(body: Record<string, unknown>, family: TokenFamily): PromptTally {
  const tally = new PromptTally(family);
  tally.addMessages(Array.isArray(body.messages) ? body.messages : []);
  tally.addJson(body.tools);
  tally.addJson(body.functions);
  tally.addJson(body.response_format);
  if (typeof body.tool_choice === "object") tally.addJson(body.tool_choice);
  if (typeof body.function_call === "object") tally.addJson(body.function_call);
  return tally;
}

/**
 * Responses: instructions, input items, tools, `text.format`. A stored response or
 * conversation (`previous_response_id`, `conversation`) or a stored prompt lives upstream:
 * its size is unknown here.
 */
export function responsesPrompt(body: Record<string, unknown>, family: TokenFamily): PromptTally {
  const tally = new PromptTally(family);
  if (typeof body.instructions === "string") tally.addText(body.instructions);
  const input = body.input;
  if (typeof input === "string") tally.addMessages([input]);
  else if (Array.isArray(input)) tally.addMessages(input);
  tally.addJson(body.tools);
  tally.addJson(asObject(body.text).format);
  if (typeof body.tool_choice === "object") tally.addJson(body.tool_choice);
  if (
    (typeof body.previous_response_id === "string" && body.previous_response_id !== "") ||
    (body.conversation !== undefined && body.conversation !== null) ||
    (body.prompt !== undefined && body.prompt !== null)
  )
    tally.unknown = true;
  return tally;
}

/** Anthropic Messages: system, messages (documents, images, tool results), tools, output format. */
export function messagesPrompt(body: Record<string, unknown>, family: TokenFamily): PromptTally {
  const tally = new PromptTally(family);
  // The system prompt is framed like a message.
  if (body.system !== undefined && body.system !== null) tally.addTokens(PER_MESSAGE_TOKENS);
  tally.walk(body.system);
  tally.addMessages(Array.isArray(body.messages) ? body.messages : []);
  tally.addJson(body.tools);
  if (typeof body.tool_choice === "object") tally.addJson(body.tool_choice);
  tally.addJson(body.output_format);
  tally.addJson(asObject(body.output_config).format);
  return tally;
}

/** Legacy completions and embeddings: texts, plus inputs given as token ids (counted as given). */
export function textsPrompt(texts: string[], tokenIds: number, family: TokenFamily): PromptTally {
  const tally = new PromptTally(family).addTokens(tokenIds);
  for (const text of texts) tally.addText(text);
  return tally;
}

export function promptSize(make: () => PromptTally): PromptSize {
  let tally: PromptTally | null = null;
  const get = () => (tally ??= make());
  return {
    reserve: () => get().reserve,
    unknown: () => get().unknown,
    count: () => get().count,
    async estimate() {
      await preloadTokenizer();
      return get().count;
    },
  };
}
