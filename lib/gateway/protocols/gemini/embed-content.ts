import type { z } from "zod";
import { gatewayErrors } from "../../gateway-error";
import { isPromise } from "../../maybe-async";
import { providerFor, familyOf } from "../../providers/registry";
import type { Protocol } from "../../pipeline/protocol";
import type { ProviderCall } from "../../providers/provider";
import { settleFromEstimate } from "../../pipeline/settle";
import { parseAnswer, readAnswer } from "../../providers/answer";
import { callGemini } from "../../providers/gemini/gemini-upstream";
import { promptSize, textsPrompt } from "../../pipeline/request-prompt";
import type { GatewayResponse } from "../../types";
import { embeddingsProtocol } from "../embeddings/embeddings-protocol";
import { parseJsonBody } from "../parse-json-body";
import {
  batchEmbedContentsRequest,
  embedContentRequest,
  type GeminiEmbedRequest,
} from "./gemini-request";

/**
 * `:embedContent` and `:batchEmbedContents` on the shared pipeline, to embedding models. A
 * `gemini` model gets the request as sent (the model named in each batch entry replaced);
 * any other embedding model gets OpenAI's /embeddings (one input per content, its text
 * parts joined; `outputDimensionality` as `dimensions`), and the vectors come back as
 * Google's `embedding` / `embeddings[].values`. Metered on input tokens, as /v1/embeddings.
 */
interface EmbedBody {
  model: string;
  stream?: undefined;
  requests: GeminiEmbedRequest[];
  batch: boolean;
}

export function embedContentProtocol(model: string, batch: boolean): Protocol<EmbedBody> {
  return {
    // OpenAI's embeddings protocol, as far as choosing the path goes: every embedding
    // provider serves it natively (Gemini's own body goes to a `gemini` model).
    name: "embeddings",
    viaChat: false,
    endpoint: batch ? "gemini.batchEmbedContents" : "gemini.embedContent",
    serves: "embedding",
    path: `models/${model}:${batch ? "batchEmbedContents" : "embedContent"}`,
    parse(raw) {
      const requests = batch
        ? parseJsonBody(raw, batchEmbedContentsRequest).requests
        : [parseJsonBody(raw, embedContentRequest as z.ZodType<GeminiEmbedRequest>)];
      return { model, requests, batch };
    },
    prepare(body, resolved, ctx, deps, route) {
      const texts = body.requests.map(textOf);
      const prompt = promptSize(() => textsPrompt(texts, 0, familyOf(resolved)));
      const estimatePrompt = prompt.estimate;
      const base = { prompt, capRequest: null, n: 1, estimatePrompt };
      if (providerFor(resolved).servesNatively("gemini", resolved))
        return { ...base, forward: (call) => passthrough(call, body, estimatePrompt) };
      const dimensions = body.requests[0]?.outputDimensionality;
      const openAiBody = {
        model: body.model,
        input: body.batch ? texts : texts[0],
        encoding_format: "float" as const,
        ...(dimensions ? { dimensions } : {}),
      };
      return {
        ...base,
        async forward(call) {
          const preparing = embeddingsProtocol.prepare(openAiBody, resolved, ctx, deps, route);
          const prepared = isPromise(preparing) ? await preparing : preparing;
          const answer = await prepared.forward(call);
          // A large answer comes relayed (relay/json-answer.ts): gathered here to translate it.
          return { ...answer, body: googleVectors(await gathered(answer.body), body.batch) };
        },
      };
    },
  };
}

async function gathered(body: GatewayResponse["body"]): Promise<GatewayResponse["body"]> {
  if (!body || typeof body === "string" || body instanceof Uint8Array) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

function textOf(request: GeminiEmbedRequest): string {
  return (request.content.parts ?? [])
    .map((part) => (typeof part.text === "string" ? part.text : ""))
    .join("\n");
}

function googleVectors(body: GatewayResponse["body"], batch: boolean): string {
  if (typeof body !== "string" && !(body instanceof Uint8Array))
    throw gatewayErrors.upstreamError("The model server streamed an embeddings answer.");
  const json = JSON.parse(typeof body === "string" ? body : Buffer.from(body).toString("utf8")) as {
    data?: { embedding?: number[]; index?: number }[];
  };
  const vectors = [...(json.data ?? [])]
    .sort((a, b) => (a.index ?? 0) - (b.index ?? 0))
    .map((item) => ({ values: item.embedding ?? [] }));
  return JSON.stringify(
    batch ? { embeddings: vectors } : { embedding: vectors[0] ?? { values: [] } },
  );
}

async function passthrough(
  call: ProviderCall,
  body: EmbedBody,
  estimatePrompt: () => Promise<number>,
): Promise<GatewayResponse> {
  const { deps, ctx, deployment } = call;
  const upstreamBody = body.batch
    ? {
        requests: body.requests.map((r) => ({ ...r, model: `models/${deployment.upstreamModel}` })),
      }
    : body.requests[0];
  const response = await callGemini(
    call,
    body.batch ? "batchEmbedContents" : "embedContent",
    upstreamBody as Record<string, unknown>,
  );
  const raw = await readAnswer(call, response);
  parseAnswer(raw);
  // Gemini's embedding answers carry no usage: the input is counted here.
  await settleFromEstimate(deps, ctx, estimatePrompt, "", {
    status: 200,
    errorCode: null,
    cutAtLimit: false,
  });
  return {
    status: 200,
    headers: { "x-request-id": ctx.requestId, "content-type": "application/json; charset=UTF-8" },
    body: raw,
  };
}
