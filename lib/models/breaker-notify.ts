import { invalidationChannel, plainText } from "@/lib/invalidation-channel";

/**
 * A breaker changed: the payload is the deployment id; every process re-reads that one row
 * (changes are failures and recoveries, rare next to requests, so the read is cheap).
 */
export const breakerChannel = invalidationChannel("modelbridge_breaker_changed", plainText);
