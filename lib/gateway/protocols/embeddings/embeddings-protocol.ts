import type { Protocol } from "../../pipeline/protocol";
import { chatUsage, settleEstimated, settleReported } from "../../pipeline/settle";
import {
  answeredStatus,
  callOpenAi,
  parseAnswer,
  readAnswer,
} from "../../providers/openai-provider";
import { countTokens } from "../../token-estimate";
import { parseJsonBody } from "../parse-json-body";
import { embeddingInputs, embeddingsRequest, type EmbeddingsRequest } from "./embeddings-request";

/**
 * `POST /v1/embeddings`, to models registered as embedding models. Metered on input tokens
 * only: the reservation is the whole input (refused when the budget cannot pay it: there
 * is no output to shorten). The upstream's answer is returned as it came (floats or
 * base64, whatever `dimensions`).
 */
export const embeddingsProtocol: Protocol<EmbeddingsRequest> = {
  endpoint: "embeddings",
  serves: "embedding",
  path: "/v1/embeddings",
  parse: (raw) => parseJsonBody(raw, embeddingsRequest),
  prepare(body) {
    const { texts, tokenCount } = embeddingInputs(body.input);
    // A token is at least one byte: bytes lean high, as a reservation must.
    const promptTokens =
      texts.reduce((sum, text) => sum + Buffer.byteLength(text, "utf8"), 0) + tokenCount;
    const estimatePrompt = async () =>
      (await Promise.all(texts.map(countTokens))).reduce((sum, n) => sum + n, tokenCount);
    return {
      promptTokens,
      capRequest: null,
      n: 1,
      estimatePrompt,
      async forward(call) {
        const { deps, ctx, model } = call;
        const upstream = await callOpenAi(
          call,
          "/embeddings",
          { ...body, model: model.upstreamModel },
          false,
        );
        const raw = await readAnswer(call, upstream);
        const usage = chatUsage(parseAnswer(raw).usage);
        const { status, errorCode } = answeredStatus(call);
        if (usage && usage.promptTokens > 0)
          settleReported(deps, ctx, status, { ...usage, completionTokens: 0 }, false, errorCode);
        else await settleEstimated(deps, ctx, status, estimatePrompt, "", false, errorCode);
        return {
          status: 200,
          headers: { "x-request-id": ctx.requestId, "content-type": "application/json" },
          body: raw,
        };
      },
    };
  },
};
