import { z } from "zod";
import { gatewayErrors } from "./gateway-error";

/**
 * The part of a chat completion request the gateway must understand. Everything else —
 * tools, response_format, content parts, vLLM's top_k and chat_template_kwargs — is
 * allowed through untouched (loose objects), and the upstream judges it.
 */
const contentPart = z.looseObject({ type: z.string() });

const message = z.looseObject({
  role: z.enum(["developer", "system", "user", "assistant", "tool", "function"]),
  content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
});

const positiveInt = z.number().int().min(1);

export const chatCompletionRequest = z.looseObject({
  model: z.string().min(1),
  messages: z.array(message).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: positiveInt.nullish(),
  max_completion_tokens: positiveInt.nullish(),
  n: z.number().int().min(1).max(128).nullish(),
});

export type ChatCompletionRequest = z.infer<typeof chatCompletionRequest>;

export function parseChatRequest(raw: Uint8Array): ChatCompletionRequest {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("utf8"));
  } catch {
    throw gatewayErrors.invalidRequest("The request body is not valid JSON.");
  }
  const result = chatCompletionRequest.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const param = issue.path.length ? issue.path.join(".") : null;
    throw gatewayErrors.invalidRequest(`Invalid request${param ? ` at '${param}'` : ""}: ${issue.message}`, param);
  }
  return result.data;
}
