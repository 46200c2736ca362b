import { parseRequestJson } from "../parse-json-body";
import { z } from "zod";
import { gatewayErrors } from "../../gateway-error";
import type { AnthropicMessagesRequest } from "../../translate/anthropic-types";

/**
 * What the gateway must understand of a Messages request, checked at the door; every other
 * member (tools' schemas, cache_control, thinking, context_management…) is kept as sent
 * (loose objects) and judged by the upstream, or by the translation when there is one.
 */
const block = z.looseObject({ type: z.string() });

const message = z.looseObject({
  role: z.enum(["user", "assistant", "system"]),
  content: z.union([z.string(), z.array(block)]),
});

const textBlock = z.looseObject({ type: z.literal("text"), text: z.string() });

export const messagesRequest = z.looseObject({
  model: z.string().min(1),
  max_tokens: z.number().int().min(1),
  messages: z.array(message).min(1),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  stream: z.boolean().optional(),
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).optional(),
  tools: z.array(z.looseObject({ name: z.string() })).optional(),
  tool_choice: z
    .looseObject({ type: z.enum(["auto", "any", "tool", "none"]), name: z.string().optional() })
    .optional(),
  thinking: z
    .looseObject({ type: z.string(), budget_tokens: z.number().int().min(1).optional() })
    .optional(),
});

export const countTokensRequest = messagesRequest
  .omit({ max_tokens: true })
  .extend({ max_tokens: z.number().int().min(1).optional() });

export function parseMessagesRequest(
  raw: Uint8Array,
  schema: z.ZodType = messagesRequest,
): AnthropicMessagesRequest {
  const json = parseRequestJson(raw);
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const param = issue.path.length ? issue.path.join(".") : null;
    throw gatewayErrors.invalidRequest(`${param ? `${param}: ` : ""}${issue.message}`, param);
  }
  return result.data as AnthropicMessagesRequest;
}
