import { gatewayErrors } from "../gateway-error";

/**
 * A request field the other protocol has no way to say: refused with a 400 naming it,
 * rather than silently answered as if it had not been asked.
 */
export function untranslatable(field: string, why: string) {
  return gatewayErrors.invalidRequest(
    `'${field}' cannot be translated for this model's provider: ${why}`,
    field,
  );
}
