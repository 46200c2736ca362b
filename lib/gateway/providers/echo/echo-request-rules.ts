import { z } from "zod";
import { invalidAt } from "../../protocols/chat/chat-request";

/**
 * The built-in model judges a request as OpenAI's Chat Completions would, so that what
 * works against `modelbridge/echo` also works against a real model: each role's message
 * shape, and the ranges of the sampling fields (types are already checked for every model,
 * chat-request.ts). Fields OpenAI does not know are still let through, as OpenAI itself
 * ignores nothing silently only for the fields it documents.
 */
const textPart = z.looseObject({ type: z.literal("text"), text: z.string() });
const userPart = z.discriminatedUnion("type", [
  textPart,
  z.looseObject({ type: z.literal("image_url"), image_url: z.looseObject({ url: z.string() }) }),
  z.looseObject({
    type: z.literal("input_audio"),
    input_audio: z.looseObject({ data: z.string(), format: z.string() }),
  }),
  z.looseObject({ type: z.literal("file"), file: z.looseObject({}) }),
]);
const textContent = z.union([z.string(), z.array(textPart).min(1)]);

const toolCall = z.looseObject({
  id: z.string(),
  type: z.literal("function"),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

const message = z.discriminatedUnion("role", [
  z.looseObject({ role: z.literal("system"), content: textContent, name: z.string().optional() }),
  z.looseObject({
    role: z.literal("developer"),
    content: textContent,
    name: z.string().optional(),
  }),
  z.looseObject({
    role: z.literal("user"),
    content: z.union([z.string(), z.array(userPart).min(1)]),
    name: z.string().optional(),
  }),
  z
    .looseObject({
      role: z.literal("assistant"),
      content: z
        .union([
          z.string(),
          z.array(z.looseObject({ type: z.enum(["text", "refusal"]) })),
          z.null(),
        ])
        .optional(),
      refusal: z.string().nullish(),
      tool_calls: z.array(toolCall).optional(),
      function_call: z.looseObject({ name: z.string(), arguments: z.string() }).nullish(),
    })
    .refine(
      (m) =>
        m.content != null ||
        (m.tool_calls?.length ?? 0) > 0 ||
        m.function_call != null ||
        m.refusal != null,
      {
        message: "an assistant message needs content, tool_calls or function_call",
        path: ["content"],
      },
    ),
  z.looseObject({ role: z.literal("tool"), content: textContent, tool_call_id: z.string() }),
  z.looseObject({ role: z.literal("function"), content: z.string().nullable(), name: z.string() }),
]);

const between = (min: number, max: number) => z.number().min(min).max(max).nullish();

const echoRequest = z.looseObject({
  messages: z.array(message).min(1),
  temperature: between(0, 2),
  top_p: between(0, 1),
  presence_penalty: between(-2, 2),
  frequency_penalty: between(-2, 2),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  tools: z
    .array(
      z.looseObject({
        type: z.literal("function"),
        function: z.looseObject({ name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/) }),
      }),
    )
    .max(128)
    .nullish(),
  response_format: z
    .looseObject({ type: z.enum(["text", "json_object", "json_schema"]) })
    .nullish(),
});

/** Throws OpenAI's 400 (with `param`) for what OpenAI would refuse. */
export function checkEchoRequest(body: unknown): void {
  const result = echoRequest.safeParse(body);
  if (!result.success) throw invalidAt(result.error.issues[0]);
}
