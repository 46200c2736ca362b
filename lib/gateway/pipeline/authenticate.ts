import { hashKey, parseKey } from "@/lib/keys/format";
import { keyStatus } from "@/lib/keys/status";
import { gatewayErrors, refusingKey } from "../gateway-error";
import type { KeyStore } from "../stores/key-store";
import { isPromise, type MaybePromise } from "../maybe-async";
import type { KeyRecord } from "../types";
import { spentKeyError } from "./limit-retry-after";

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Bearer parsing, then the offline checksum (a typo or a scanner's hit never reaches the
 * database), then the cached SHA-256 lookup, then the key's status in PRODUCT.md's
 * precedence. Throws the table's ApiError; returns the key otherwise.
 */
export function authenticate(
  authorization: string | undefined,
  store: KeyStore,
  now: Date,
  keyPrefixBase: string,
  smallestRequestCost: bigint,
): MaybePromise<KeyRecord> {
  const match = authorization ? BEARER.exec(authorization) : null;
  if (!match) throw gatewayErrors.missingApiKey();
  const token = match[1];
  if (!parseKey(token, keyPrefixBase)) throw gatewayErrors.invalidApiKey();

  return authenticateKeyHash(hashKey(token), store, now, smallestRequestCost);
}

/**
 * The cached lookup and status checks alone, for a caller that already holds the key's
 * stored hash rather than the raw key (the Playground acting through the user's own key).
 */
export function authenticateKeyHash(
  hash: string,
  store: KeyStore,
  now: Date,
  smallestRequestCost: bigint,
): MaybePromise<KeyRecord> {
  const found = store.get(hash);
  return isPromise(found)
    ? found.then((key) => usableKey(key, now, smallestRequestCost))
    : usableKey(found, now, smallestRequestCost);
}

/** The key's status in PRODUCT.md's precedence: the key itself, or the table's ApiError. */
function usableKey(key: KeyRecord | null, now: Date, smallestRequestCost: bigint): KeyRecord {
  if (!key) throw gatewayErrors.invalidApiKey();
  // Its own code, so that an operator (and the key's owner) can tell it from a wrong key.
  if (key.ownerDisabled) throw refusingKey(gatewayErrors.accountDisabled(), key.id);

  const status = keyStatus(key, now, smallestRequestCost);
  if (status === "revoked") throw refusingKey(gatewayErrors.keyRevoked(), key.id);
  if (status === "expired") throw refusingKey(gatewayErrors.keyExpired(), key.id);
  if (key.previousSecretUntil && key.previousSecretUntil.getTime() <= now.getTime())
    throw refusingKey(gatewayErrors.keyRotated(), key.id);
  if (status === "paused") throw refusingKey(gatewayErrors.keyPaused(), key.id);
  if (key.type !== "model_serving") throw refusingKey(gatewayErrors.wrongKeyType(), key.id);
  if (status === "limit_reached")
    throw refusingKey(spentKeyError(gatewayErrors.limitReached(), key, now), key.id);
  return key;
}
