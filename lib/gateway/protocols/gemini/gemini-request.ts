import { z } from "zod";
import type { GeminiRequest } from "../../translate/gemini/gemini-types";
import { parseJsonBody } from "../parse-json-body";

/**
 * What the gateway must understand of a generateContent request, checked at the door; the
 * rest (function schemas, generation options, Google-only fields) is kept as sent (loose
 * objects) and judged by the upstream, or by the translation when there is one.
 */
const part = z.looseObject({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  functionCall: z.looseObject({ name: z.string().optional() }).optional(),
  functionResponse: z.looseObject({ name: z.string().optional() }).optional(),
  inlineData: z
    .looseObject({ mimeType: z.string().optional(), data: z.string().optional() })
    .optional(),
  fileData: z.looseObject({ fileUri: z.string().optional() }).optional(),
});

const content = z.looseObject({
  role: z.string().optional(),
  parts: z.array(part),
});

export const generateContentRequest = z.looseObject({
  contents: z.array(content).min(1),
  systemInstruction: z.union([content.partial({ parts: true }), z.string()]).optional(),
  tools: z.array(z.looseObject({})).optional(),
  toolConfig: z.looseObject({}).optional(),
  generationConfig: z
    .looseObject({
      maxOutputTokens: z.number().int().min(1).optional(),
      candidateCount: z.number().int().min(1).optional(),
      temperature: z.number().optional(),
    })
    .optional(),
  safetySettings: z.array(z.looseObject({})).optional(),
  cachedContent: z.string().optional(),
});

export function parseGenerateContent(raw: Uint8Array): GeminiRequest {
  return parseJsonBody(raw, generateContentRequest) as unknown as GeminiRequest;
}

/** countTokens takes either the contents or a whole generateContentRequest. */
export const countTokensRequest = z.looseObject({
  contents: z.array(content).optional(),
  generateContentRequest: z.looseObject({ contents: z.array(content) }).optional(),
});

const embedRequest = z.looseObject({
  content: content,
  outputDimensionality: z.number().int().min(1).optional(),
  taskType: z.string().optional(),
  title: z.string().optional(),
});
export type GeminiEmbedRequest = z.infer<typeof embedRequest>;

export const embedContentRequest = embedRequest;
export const batchEmbedContentsRequest = z.looseObject({
  requests: z.array(embedRequest.extend({ model: z.string().optional() })).min(1),
});
