import type { RequestContext } from "../../request-context";
import type { GatewayBody, GatewayResponse, ResolvedModel } from "../../types";

/**
 * The answer says what happened: `x-modelbridge-model` (the model that answered),
 * `x-modelbridge-attempts`, `x-modelbridge-fallback-from` (when a fallback answered), and
 * its body's `model` is the registered name of the model that answered, never the
 * upstream's own id (which would leak the admin's upstream names and break clients that
 * compare it with what they asked for). The body is touched only when the two names differ.
 */
export function answerAs(
  answer: GatewayResponse,
  ctx: RequestContext,
  view: ResolvedModel,
): GatewayResponse {
  routingHeaders(answer.headers, ctx);
  if (view.kind === "http" && view.upstreamModel !== ctx.modelName)
    answer.body = renamed(answer.body, view.upstreamModel, ctx.modelName);
  return answer;
}

export function routingHeaders(headers: Record<string, string>, ctx: RequestContext): void {
  if (ctx.attemptCount === 0) return;
  headers["x-modelbridge-model"] = ctx.modelName;
  headers["x-modelbridge-attempts"] = String(ctx.attemptCount);
  if (ctx.fallbackFrom) headers["x-modelbridge-fallback-from"] = ctx.fallbackFrom;
}

function renamed(body: GatewayBody, from: string, to: string): GatewayBody {
  // `"model":"<from>"` as JSON writes it (an escaped quote inside text cannot match).
  const pattern = new RegExp(
    `("model"\\s*:\\s*)${JSON.stringify(from).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`,
    "g",
  );
  const replacement = `$1${JSON.stringify(to).replaceAll("$", "$$$$")}`;
  const swap = (text: string) => text.replace(pattern, replacement);
  if (typeof body === "string") return swap(body);
  if (body instanceof Uint8Array) return swap(Buffer.from(body).toString("utf8"));
  return renamedStream(body, swap);
}

async function* renamedStream(
  body: AsyncIterable<string | Uint8Array>,
  swap: (text: string) => string,
): AsyncGenerator<string | Uint8Array> {
  const decoder = new TextDecoder();
  for await (const piece of body)
    yield swap(typeof piece === "string" ? piece : decoder.decode(piece, { stream: true }));
}
