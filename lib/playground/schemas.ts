import { z } from "zod";
import { plainString } from "@/lib/core/plain-text";

/**
 * What the Playground's browser side may send. A strict allow-list: the route adds
 * `stream` itself and nothing else reaches the gateway, so the page cannot be used to
 * smuggle arbitrary fields through the user's Playground key. Also imported by the page
 * for its controls' bounds, so that the form and the route agree.
 */
export const PARAM_BOUNDS = {
  temperature: { min: 0, max: 2, step: 0.1 },
  top_p: { min: 0, max: 1, step: 0.05 },
  top_k: { min: 1, max: 1000 },
  max_tokens: { min: 1, max: 1_000_000 },
} as const;

export const playgroundMessage = z.strictObject({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string().max(100_000, "A message can be at most 100,000 characters"),
});

export const playgroundChatBody = z.strictObject({
  model: plainString().trim().min(1, "Choose a model").max(200),
  messages: z
    .array(playgroundMessage)
    .min(1, "Send a message")
    .max(200, "The conversation is too long: start a new chat"),
  temperature: z
    .number()
    .min(PARAM_BOUNDS.temperature.min)
    .max(PARAM_BOUNDS.temperature.max)
    .optional(),
  top_p: z.number().min(PARAM_BOUNDS.top_p.min).max(PARAM_BOUNDS.top_p.max).optional(),
  top_k: z.number().int().min(PARAM_BOUNDS.top_k.min).max(PARAM_BOUNDS.top_k.max).optional(),
  max_tokens: z
    .number()
    .int()
    .min(PARAM_BOUNDS.max_tokens.min)
    .max(PARAM_BOUNDS.max_tokens.max)
    .optional(),
});

export type PlaygroundMessage = z.infer<typeof playgroundMessage>;
export type PlaygroundChatBody = z.infer<typeof playgroundChatBody>;
export type PlaygroundParams = Pick<
  PlaygroundChatBody,
  "temperature" | "top_p" | "top_k" | "max_tokens"
>;
