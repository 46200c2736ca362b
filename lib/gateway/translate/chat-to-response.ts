import { gatewayErrors } from "../gateway-error";
import {
  newId,
  responseObject,
  responsesUsage,
  statusFor,
  type ResponseBase,
} from "./response-object";
import { customInput, declaredTool, type ToolNames } from "./tool-names";

/**
 * A chat completion (non-stream) as a Response object: reasoning text (vLLM's
 * `reasoning_content`, or `reasoning`) as a reasoning item, the answer as a message item,
 * each tool call as a function call item (back under its namespace, or as a custom tool
 * call, as the client declared it). Only the first choice: Responses has no `n`.
 */
type Json = Record<string, unknown>;

interface ChatCompletion {
  choices?: { finish_reason?: string | null; message?: ChatAnswer | null }[];
  usage?: unknown;
}

interface ChatAnswer {
  content?: string | null;
  refusal?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: { id?: string; function?: { name?: string; arguments?: string } }[] | null;
}

export function chatToResponse(
  completion: unknown,
  base: ResponseBase,
  toolNames: ToolNames,
): Json {
  const choice = (completion as ChatCompletion | null)?.choices?.[0];
  if (!choice || typeof choice !== "object")
    throw gatewayErrors.upstreamError("The model server's answer has no choices.");
  const message = choice.message ?? {};
  const output: Json[] = [];

  const reasoning = message.reasoning_content ?? message.reasoning;
  if (typeof reasoning === "string" && reasoning)
    output.push(reasoningItem(newId("rs"), reasoning, "completed"));

  const content: Json[] = [];
  if (typeof message.content === "string" && message.content)
    content.push(outputText(message.content));
  if (typeof message.refusal === "string" && message.refusal)
    content.push({ type: "refusal", refusal: message.refusal });
  if (content.length > 0)
    output.push({
      type: "message",
      id: newId("msg"),
      status: "completed",
      role: "assistant",
      content,
    });

  for (const call of message.tool_calls ?? []) {
    output.push(
      toolCallItem(
        toolNames,
        call.id ?? newId("fc"),
        call.function?.name ?? "",
        call.function?.arguments ?? "",
        "completed",
      ),
    );
  }

  const { status, incompleteReason } = statusFor(choice.finish_reason);
  return responseObject(base, {
    status,
    output,
    usage: responsesUsage((completion as ChatCompletion).usage),
    incompleteReason,
  });
}

export const outputText = (text: string): Json => ({
  type: "output_text",
  text,
  annotations: [],
  logprobs: [],
});

export function reasoningItem(id: string, text: string, status: "in_progress" | "completed"): Json {
  return {
    type: "reasoning",
    id,
    summary: [],
    content: text ? [{ type: "reasoning_text", text }] : [],
    status,
  };
}

/** A chat tool call as the item the client declared: a function call, or a custom tool call. */
export function toolCallItem(
  toolNames: ToolNames,
  callId: string,
  flatName: string,
  args: string,
  status: "in_progress" | "completed",
  id?: string,
): Json {
  const tool = declaredTool(toolNames, flatName);
  const namespace = tool.namespace ? { namespace: tool.namespace } : {};
  if (tool.custom) {
    return {
      type: "custom_tool_call",
      id: id ?? newId("ctc"),
      call_id: callId,
      ...namespace,
      name: tool.name,
      input: status === "completed" ? customInput(args) : "",
    };
  }
  return {
    type: "function_call",
    id: id ?? newId("fc"),
    call_id: callId,
    ...namespace,
    name: tool.name,
    arguments: args,
    status,
  };
}
