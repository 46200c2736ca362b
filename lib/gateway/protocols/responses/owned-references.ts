import { gatewayErrors } from "../../gateway-error";
import type { GatewayDeps } from "../../deps";
import type { KeyRecord } from "../../types";
import type { ResponsesRequest } from "./responses-request";

/**
 * The ids a native Responses request asks the upstream to look up: `previous_response_id`
 * and each `item_reference` in `input`. Each must have been created by this key's owner
 * (lib/gateway/stores/response-owners.ts); one that was not is answered as OpenAI answers
 * an unknown id, so a tenant learns nothing about another's conversations. A
 * `conversation` is refused outright: the gateway does not create conversations, so any
 * id there would be someone else's.
 */
export async function refuseForeignReferences(
  deps: GatewayDeps,
  key: KeyRecord | null,
  body: ResponsesRequest,
): Promise<void> {
  if ((body as { conversation?: unknown }).conversation != null) {
    throw gatewayErrors.invalidRequest(
      "conversation is not supported through this gateway; send previous_response_id or the items themselves.",
      "conversation",
    );
  }
  const previous = typeof body.previous_response_id === "string" ? body.previous_response_id : null;
  const references = Array.isArray(body.input)
    ? body.input.flatMap((item) =>
        item?.type === "item_reference" && typeof item.id === "string" ? [item.id] : [],
      )
    : [];
  const ids = previous ? [previous, ...references] : references;
  if (ids.length === 0) return;
  const foreign = key ? await deps.responseOwners.notOwned(ids, key) : ids;
  if (previous && foreign.includes(previous)) {
    throw gatewayErrors.invalidRequest(
      `Previous response with id '${previous.slice(0, 128)}' not found.`,
      "previous_response_id",
    );
  }
  if (foreign.length > 0) {
    throw gatewayErrors.invalidRequest(
      `Item with id '${foreign[0].slice(0, 128)}' not found.`,
      "input",
    );
  }
}

/** The response's id and its output items' ids, as the upstream stored them. */
export function idsOfAnswer(
  answer: Record<string, unknown> | { [key: string]: unknown },
): string[] {
  const ids: string[] = [];
  if (typeof answer.id === "string") ids.push(answer.id);
  if (Array.isArray(answer.output)) {
    for (const item of answer.output as Array<{ id?: unknown }>) {
      if (item && typeof item.id === "string") ids.push(item.id);
    }
  }
  return ids;
}
