import { z } from "zod";

/**
 * OpenAI's legacy completions request: a prompt string, strings, token array or token
 * arrays. Everything else (suffix, echo, logprobs, best_of, vLLM's extras) passes to the
 * upstream, which judges it.
 */
const tokens = z.array(z.number().int().min(0));

export const completionsRequest = z.looseObject({
  model: z.string().min(1),
  prompt: z.union([z.string(), z.array(z.string()), tokens, z.array(tokens)]),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  n: z.number().int().min(1).max(128).nullish(),
  best_of: z.number().int().min(1).max(128).nullish(),
});

export type CompletionsRequest = z.infer<typeof completionsRequest>;

export function promptTexts(prompt: CompletionsRequest["prompt"]): {
  texts: string[];
  tokenCount: number;
} {
  if (typeof prompt === "string") return { texts: [prompt], tokenCount: 0 };
  if (prompt.length === 0) return { texts: [], tokenCount: 0 };
  if (typeof prompt[0] === "string") return { texts: prompt as string[], tokenCount: 0 };
  if (typeof prompt[0] === "number") return { texts: [], tokenCount: prompt.length };
  return {
    texts: [],
    tokenCount: (prompt as number[][]).reduce((sum, list) => sum + list.length, 0),
  };
}
