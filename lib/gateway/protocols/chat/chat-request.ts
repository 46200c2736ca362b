import { parseRequestJson } from "../parse-json-body";
import { z } from "zod";
import { gatewayErrors } from "../../gateway-error";
import { modelName } from "../../pipeline/model-name";

/**
 * The part of a chat completion request the gateway must understand, plus the JSON types of
 * the fields OpenAI documents (a wrong type is refused here, with `param` naming the field,
 * as OpenAI would). Everything else — vLLM's top_k and chat_template_kwargs, new OpenAI
 * fields — passes through untouched (loose objects), and the upstream judges it. Ranges
 * are not checked here: real servers differ on them (the built-in model checks OpenAI's,
 * see echo-request-rules.ts).
 */
const contentPart = z.looseObject({ type: z.string() });

const message = z.looseObject({
  role: z.enum(["developer", "system", "user", "assistant", "tool", "function"]),
  content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
  name: z.string().optional(),
  tool_call_id: z.string().optional(),
  tool_calls: z.array(z.looseObject({})).nullish(),
});

const positiveInt = z.number().int().min(1);

export const chatCompletionRequest = z.looseObject({
  model: modelName,
  messages: z.array(message).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: positiveInt.nullish(),
  max_completion_tokens: positiveInt.nullish(),
  n: z.number().int().min(1).max(128).nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  presence_penalty: z.number().nullish(),
  frequency_penalty: z.number().nullish(),
  seed: z.number().int().nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().nullish(),
  logit_bias: z.record(z.string(), z.number()).nullish(),
  user: z.string().nullish(),
  tools: z.array(z.looseObject({ type: z.string() })).nullish(),
  tool_choice: z.union([z.string(), z.looseObject({})]).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  response_format: z.looseObject({ type: z.string() }).nullish(),
  store: z.boolean().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  reasoning_effort: z.string().nullish(),
  service_tier: z.string().nullish(),
});

export type ChatCompletionRequest = z.infer<typeof chatCompletionRequest>;

export function parseChatRequest(raw: Uint8Array): ChatCompletionRequest {
  const json = parseRequestJson(raw);
  const result = chatCompletionRequest.safeParse(json);
  if (!result.success) throw invalidAt(result.error.issues[0]);
  return result.data;
}

/** OpenAI's 400 for the first problem found, `param` naming the field (e.g. `messages.0.content`). */
export function invalidAt(issue: { path: PropertyKey[]; message: string }) {
  const param = issue.path.length ? issue.path.map(String).join(".") : null;
  return gatewayErrors.invalidRequest(
    `Invalid request${param ? ` at '${param}'` : ""}: ${issue.message}`,
    param,
  );
}
