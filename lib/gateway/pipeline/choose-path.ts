import type { Provider } from "../providers/provider";
import type { ResolvedModel } from "../types";
import type { Protocol, ParsedRequest, Route } from "./protocol";

/**
 * Pass through or translate via chat: decided here, once per request, from what the model's
 * provider says it speaks. A provider that neither speaks the protocol nor can be reached
 * through chat for it (legacy completions on Claude, embeddings on the demo model) is a 404
 * in its own words, before any limit or budget is touched.
 */
export function choosePath<Body extends ParsedRequest>(
  provider: Provider,
  protocol: Protocol<Body>,
  model: ResolvedModel,
): Route {
  if (provider.servesNatively(protocol.name, model)) return "native";
  if (protocol.viaChat && provider.servesChat) return "via-chat";
  throw provider.doesNotServe(model, protocol.path);
}
