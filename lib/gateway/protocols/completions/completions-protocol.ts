import type { Protocol } from "../../pipeline/protocol";
import { settleAnswer } from "../../pipeline/settle";
import { reportedChatUsage } from "../../translate/usage";
import { answeredStatus, parseAnswer, readAnswer } from "../../providers/answer";
import { providerFor, familyOf } from "../../providers/registry";
import { applyCap } from "../../pipeline/token-cap";
import { promptSize, textsPrompt } from "../../pipeline/request-prompt";
import { parseJsonBody } from "../parse-json-body";
import { completionsRequest, promptTexts, type CompletionsRequest } from "./completions-request";
import { relayOpenAiStream } from "../stream-response";

/** OpenAI's (and vLLM's) default when a completions request sets no max_tokens. */
const DEFAULT_MAX_TOKENS = 16;

/**
 * `POST /v1/completions` (legacy), passed through to chat models whose upstream serves
 * completions, stream and non-stream, metered like chat. The stream goes through chat's
 * relay (usage kept, its text counted, upstream failures as an error event, the upstream
 * aborted when the client leaves).
 */
export const completionsProtocol: Protocol<CompletionsRequest> = {
  name: "completions",
  viaChat: false,
  endpoint: "completions",
  serves: "chat",
  path: "/v1/completions",
  parse: (raw) => parseJsonBody(raw, completionsRequest),
  prepare(body, model) {
    const { texts, tokenCount } = promptTexts(body.prompt);
    if (typeof body.suffix === "string") texts.push(body.suffix);
    const prompt = promptSize(() => textsPrompt(texts, tokenCount, familyOf(model)));
    const estimatePrompt = prompt.estimate;
    return {
      prompt,
      // Legacy completions know only max_tokens; unset, OpenAI's default applies, so it is what is reserved.
      capRequest: { max_tokens: body.max_tokens ?? DEFAULT_MAX_TOKENS },
      n: Math.max(body.n ?? 1, body.best_of ?? 1),
      estimatePrompt,
      async forward(call) {
        const { deps, ctx, deployment } = call;
        const stream = body.stream === true;
        const upstreamBody: Record<string, unknown> = { ...body, model: deployment.upstreamModel };
        applyCap(upstreamBody, call.cap);
        if (stream)
          upstreamBody.stream_options = { ...(body.stream_options ?? {}), include_usage: true };
        const upstream = await providerFor(call.model).send(call, {
          path: "/completions",
          body: upstreamBody,
          stream,
        });
        const headers = { "x-request-id": ctx.requestId };

        if (!stream) {
          const raw = await readAnswer(call, upstream);
          const answer = parseAnswer(raw) as {
            usage?: unknown;
            choices?: { text?: unknown; finish_reason?: unknown }[];
          };
          const hitLength =
            answer.choices?.some((choice) => choice?.finish_reason === "length") ?? false;
          const { status, errorCode } = answeredStatus(call);
          const text = () =>
            (answer.choices ?? []).map((c) => (typeof c?.text === "string" ? c.text : "")).join("");
          await settleAnswer(deps, ctx, reportedChatUsage(answer.usage), estimatePrompt, text, {
            status,
            errorCode,
            cutAtLimit: hitLength,
          });
          return {
            status: 200,
            headers: { ...headers, "content-type": "application/json" },
            body: raw,
          };
        }

        return relayOpenAiStream(
          call,
          upstream,
          headers,
          body.stream_options?.include_usage === true,
          estimatePrompt,
        );
      },
    };
  },
};
