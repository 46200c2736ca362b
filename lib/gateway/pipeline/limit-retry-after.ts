import { periodEndAt } from "@/lib/keys/budget-period";
import type { ApiError } from "@/lib/errors/api-error";
import type { KeyRecord } from "../types";

/**
 * A spent key's 429 says when retrying can help: the seconds until its budget period
 * resets (daily, weekly, monthly), or nothing for a key without periods — its limit stays
 * reached until its owner raises it. Most agent CLIs retry a 429 whatever
 * `x-should-retry` says; with `retry-after` they at least wait the right time.
 */
export function limitReachedRetryAfter(
  key: Pick<KeyRecord, "budgetPeriod">,
  now: Date,
): number | null {
  const end = periodEndAt(key.budgetPeriod, now);
  return end ? Math.max(1, Math.ceil((end.getTime() - now.getTime()) / 1000)) : null;
}

/** The plain message and the retry delay of a spent key's refusal. */
export function spentKeyError(
  error: ApiError,
  key: Pick<KeyRecord, "budgetPeriod">,
  now: Date,
): ApiError {
  const seconds = limitReachedRetryAfter(key, now);
  const when =
    seconds === null
      ? "It stays spent until its owner raises the limit"
      : `It resets with its ${key.budgetPeriod} budget period at ${periodEndAt(key.budgetPeriod, now)!.toISOString()}, or sooner if its owner raises the limit`;
  return Object.assign(error, {
    message: `This API key's spending limit is reached. ${when}: the key's owner can raise or remove it on the dashboard's API keys page (Settings → API keys).`,
    retryAfterSeconds: seconds,
  });
}
