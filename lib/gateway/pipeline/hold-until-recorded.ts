import type { RequestContext } from "../request-context";
import type { GatewayResponse } from "../types";

/**
 * GATEWAY_USAGE_COMMIT=durable (opt-in; docs/scaling.md has what it costs): an answer that costs money ends only once its
 * usage row, and the spend and balance charge written with it, are committed. A JSON answer
 * is sent after the commit; a stream's events go out as they come and only the response's
 * end (the last HTTP chunk) waits. So a process killed with SIGKILL between an answer and
 * its write leaves the client a cut response, never a whole answer that nobody paid for.
 *
 * The wait is bounded by `waitMs`; a sink that cannot reach its database does not hold
 * answers at all (usage-sink.ts releases them, the rows wait in memory as when batched).
 */
export function holdEndUntilRecorded(
  response: GatewayResponse,
  ctx: RequestContext,
  waitMs: number,
): GatewayResponse | Promise<GatewayResponse> {
  // Nothing is recorded for a request without a key; a finished one with nothing to wait for
  // (no charge, or a batched sink) goes as it is.
  if (!ctx.key || (ctx.finished && !ctx.recorded)) return response;
  const { body } = response;
  if (typeof body === "string" || body instanceof Uint8Array)
    return recordedOrTimedOut(ctx, waitMs).then(() => response);
  return { ...response, body: endAfterRecorded(body, ctx, waitMs) };
}

async function* endAfterRecorded(
  body: AsyncIterable<string | Uint8Array>,
  ctx: RequestContext,
  waitMs: number,
): AsyncGenerator<string | Uint8Array> {
  // yield* hands return() on to the body: a client that leaves still closes the upstream.
  yield* body;
  await recordedOrTimedOut(ctx, waitMs);
}

/** Resolves once the request is finished and its record committed, or after waitMs. */
function recordedOrTimedOut(ctx: RequestContext, waitMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, waitMs);
    timer.unref?.();
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    const afterFinish = () => {
      if (ctx.recorded) ctx.recorded.then(done, done);
      else done();
    };
    // A stream settles as (or just after) its body ends: wait for finishRequest if need be.
    if (ctx.finished) afterFinish();
    else ctx.onFinished = afterFinish;
  });
}
