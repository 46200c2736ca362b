import { z } from "zod";

/**
 * OpenAI's embeddings request: input as a string, strings, a token array or token arrays
 * (never empty: OpenAI refuses that too); `dimensions` and `encoding_format` (float or
 * base64) go to the upstream as sent. Unknown fields pass (vLLM's `truncate_prompt_tokens`…).
 */
const tokens = z.array(z.number().int().min(0)).min(1);

export const embeddingsRequest = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string()).min(1), tokens, z.array(tokens).min(1)]),
  encoding_format: z.enum(["float", "base64"]).optional(),
  dimensions: z.number().int().min(1).optional(),
  user: z.string().optional(),
  stream: z.undefined().optional(),
});

export type EmbeddingsRequest = z.infer<typeof embeddingsRequest>;

/** The input's texts and its token-array lengths, for estimates. */
export function embeddingInputs(input: EmbeddingsRequest["input"]): {
  texts: string[];
  tokenCount: number;
} {
  if (typeof input === "string") return { texts: [input], tokenCount: 0 };
  if (input.length === 0) return { texts: [], tokenCount: 0 };
  if (typeof input[0] === "string") return { texts: input as string[], tokenCount: 0 };
  if (typeof input[0] === "number") return { texts: [], tokenCount: input.length };
  return {
    texts: [],
    tokenCount: (input as number[][]).reduce((sum, list) => sum + list.length, 0),
  };
}
