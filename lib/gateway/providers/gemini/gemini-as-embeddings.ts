import type { ProviderCall } from "../../providers/provider";
import { gatewayErrors } from "../../gateway-error";
import type { UpstreamResponse } from "../../relay/upstream-client";
import { parseAnswer, readAnswer } from "../answer";
import { callGemini } from "./gemini-upstream";

/**
 * A `gemini` embedding model behind OpenAI's /v1/embeddings: the inputs as one
 * batchEmbedContents call (`dimensions` as outputDimensionality), the vectors back in
 * OpenAI's list — as base64 of little-endian float32 when asked (the OpenAI SDK's default).
 * Gemini reports no usage for embeddings: the caller estimates the input.
 * Token-array inputs cannot be sent (Gemini takes text only).
 */
const encoder = new TextEncoder();

export async function callGeminiAsEmbeddings(
  call: ProviderCall,
  body: Record<string, unknown>,
): Promise<UpstreamResponse> {
  const input = body.input;
  const texts = typeof input === "string" ? [input] : Array.isArray(input) ? input : [];
  if (!texts.every((text) => typeof text === "string"))
    throw gatewayErrors.invalidRequest(
      "Gemini embedding models take text: send input as a string or strings, not tokens.",
      "input",
    );
  const model = `models/${call.deployment.upstreamModel}`;
  const dimensions = typeof body.dimensions === "number" ? body.dimensions : undefined;
  const response = await callGemini(call, "batchEmbedContents", {
    requests: (texts as string[]).map((text) => ({
      model,
      content: { parts: [{ text }] },
      ...(dimensions ? { outputDimensionality: dimensions } : {}),
    })),
  });
  const answer = parseAnswer(await readAnswer(call, response)) as {
    embeddings?: { values?: number[] }[];
  };
  const openAi = {
    object: "list",
    model: call.model.name,
    data: (answer.embeddings ?? []).map((embedding, index) => ({
      object: "embedding",
      index,
      embedding:
        body.encoding_format === "base64"
          ? Buffer.from(new Float32Array(embedding.values ?? []).buffer).toString("base64")
          : (embedding.values ?? []),
    })),
  };
  const bytes = encoder.encode(JSON.stringify(openAi));
  return {
    status: 200,
    contentType: "application/json",
    body: (async function* () {
      yield bytes;
    })(),
    discard: () => {},
  };
}
