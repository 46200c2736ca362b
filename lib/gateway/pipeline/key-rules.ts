import { ipAllowed } from "@/lib/keys/ip-allowlist";
import { gatewayErrors, refusingKey } from "../gateway-error";
import type { KeyRecord } from "../types";

/**
 * The per-key rules checked on every /v1 request after authentication, from the cached key
 * alone (no query): where the request may come from and which models it may name.
 */
export function checkClientAddress(key: KeyRecord, clientIp: string): void {
  if (key.ipRanges && !ipAllowed(key.ipRanges, clientIp))
    throw refusingKey(gatewayErrors.ipNotAllowed(), key.id);
}

export function modelAllowed(key: KeyRecord, name: string): boolean {
  return key.allowedModels === null || key.allowedModels.has(name);
}

export function checkModelAllowed(key: KeyRecord, name: string): void {
  if (!modelAllowed(key, name)) throw gatewayErrors.modelNotAllowed(name);
}
