import type { PayloadCapture } from "../relay/payload-capture";
import type { GatewayResponse } from "../types";
import { FinishReasonScanner } from "./finish-reasons";
import { spanContent } from "./span-content";
import type { RequestTrace } from "./trace-types";

/**
 * The answer on its way out, watched for the request's span (tracing on only): why the
 * model stopped, and, when payload capture covers the request, the messages asked and
 * answered. It wraps the capture's copy (gateway.ts), so a stream's capture is complete
 * when this one's ends; nothing here waits on anything.
 */
export function tracedAnswer(
  response: GatewayResponse,
  trace: RequestTrace,
  endpoint: string,
  capture: PayloadCapture | null,
  maxBytes: number,
): GatewayResponse {
  const scanner = new FinishReasonScanner(endpoint);
  const scan = scanner.applies && response.status < 400;
  const done = () => {
    const finishReasons = scanner.reasons();
    if (!capture) return trace.answered({ finishReasons });
    const payload = capture.done(new Date());
    trace.answered({
      finishReasons,
      ...spanContent(endpoint, payload.requestBody, payload.responseBody, finishReasons, maxBytes),
    });
  };
  const body = response.body;
  if (typeof body === "string" || body instanceof Uint8Array) {
    if (scan) scanner.noteBody(typeof body === "string" ? body : Buffer.from(body).toString());
    done();
    return response;
  }
  return { ...response, body: relay(body, scan ? scanner : null, done) };
}

/**
 * The stream passed through, chunk by chunk. Not a generator: a generator closed before its
 * first chunk (a client gone at once) never runs its `finally`, and the span must still end.
 */
function relay(
  body: AsyncIterable<string | Uint8Array>,
  scanner: FinishReasonScanner | null,
  done: () => void,
): AsyncIterable<string | Uint8Array> {
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    done();
  };
  return {
    [Symbol.asyncIterator]() {
      const inner = body[Symbol.asyncIterator]();
      return {
        async next() {
          try {
            const step = await inner.next();
            if (step.done) end();
            else
              scanner?.noteChunk(
                typeof step.value === "string" ? step.value : Buffer.from(step.value).toString(),
              );
            return step;
          } catch (error) {
            end();
            throw error;
          }
        },
        async return(value?: unknown) {
          try {
            return (await inner.return?.(value)) ?? { done: true as const, value: undefined };
          } finally {
            end();
          }
        },
      };
    },
  };
}
