import { ApiError } from "@/lib/errors/api-error";
import type { Protocol } from "../../pipeline/protocol";
import { readJsonAnswer, type JsonAnswer } from "../../relay/json-answer";
import { clientClosed } from "../../providers/send-upstream";
import { isAbort, upstreamFailure } from "../../relay/upstream-client";
import { settleAnswer, settleFromEstimate } from "../../pipeline/settle";
import { reportedChatUsage } from "../../translate/usage";
import { answeredStatus, parseAnswer } from "../../providers/answer";
import { providerFor, familyOf } from "../../providers/registry";
import { promptSize, textsPrompt } from "../../pipeline/request-prompt";
import { parseJsonBody } from "../parse-json-body";
import { embeddingInputs, embeddingsRequest, type EmbeddingsRequest } from "./embeddings-request";

/**
 * `POST /v1/embeddings`, to models registered as embedding models. Metered on input tokens
 * only: the reservation is the whole input (refused when the budget cannot pay it: there
 * is no output to shorten). The upstream's answer is returned as it came (floats or
 * base64, whatever `dimensions`).
 */
export const embeddingsProtocol: Protocol<EmbeddingsRequest> = {
  name: "embeddings",
  viaChat: false,
  endpoint: "embeddings",
  serves: "embedding",
  path: "/v1/embeddings",
  parse: (raw) => parseJsonBody(raw, embeddingsRequest),
  prepare(body, model) {
    const { texts, tokenCount } = embeddingInputs(body.input);
    const prompt = promptSize(() => textsPrompt(texts, tokenCount, familyOf(model)));
    const estimatePrompt = prompt.estimate;
    return {
      prompt,
      capRequest: null,
      n: 1,
      estimatePrompt,
      async forward(call) {
        const { deps, ctx, deployment } = call;
        const upstream = await providerFor(call.model).send(call, {
          path: "/embeddings",
          body: { ...body, model: deployment.upstreamModel },
          stream: false,
        });
        const headers = { "x-request-id": ctx.requestId, "content-type": "application/json" };
        let answer: JsonAnswer;
        try {
          answer = await readJsonAnswer(upstream.body, deps.config.maxUpstreamResponseBytes);
        } catch (error) {
          if (error instanceof ApiError) throw error;
          if (call.signal.aborted || isAbort(error)) throw clientClosed();
          throw upstreamFailure(error);
        }
        const settle = (usageObject: unknown) => {
          const reported = reportedChatUsage(usageObject);
          // A usage of zero prompt tokens counts nothing (some servers send it): estimate then.
          const usage =
            reported && reported.inputTokens + reported.cacheReadTokens > 0
              ? { ...reported, outputTokens: 0 }
              : null;
          return settleAnswer(deps, ctx, usage, estimatePrompt, () => "", {
            ...answeredStatus(call),
            cutAtLimit: false,
          });
        };
        if ("whole" in answer) {
          await settle(parseAnswer(answer.whole).usage);
          return { status: 200, headers, body: answer.whole };
        }
        // A large answer (many vectors) is relayed as it comes and settled when it ends.
        const relayed = answer;
        async function* relay(): AsyncGenerator<Uint8Array> {
          let ended = false;
          try {
            yield* relayed.body;
            ended = true;
          } finally {
            const usage = await relayed.usage;
            if (ended) await settle(usage);
            else {
              // The client left, or the upstream failed, mid-answer: the upstream read the input.
              await settleFromEstimate(deps, ctx, estimatePrompt, "", {
                status: 499,
                errorCode: "client_closed",
                cutAtLimit: false,
              });
            }
          }
        }
        return { status: 200, headers, body: relay() };
      },
    };
  },
};
