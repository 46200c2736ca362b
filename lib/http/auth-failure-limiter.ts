import { authFailureSettings } from "@/lib/env";
import { addressBucket } from "@/lib/limits/address-bucket";
import { sharedCounters, type SharedCounters } from "@/lib/limits/shared-counters";
import { ApiError } from "../errors/api-error";

/**
 * Refuses (429) a client address that keeps presenting bad credentials: key scanners and
 * misconfigured scripts hammering `/v1` or `/api/v1`. Only failures are counted, so a busy
 * client with a good key never touches the limiter; the only cost on the good path is
 * `anyBlocked`, a Map size check.
 *
 * The count is shared by every process on the database (shared-counters.ts): each failure
 * adds to it in one statement, and the failure that goes past the budget, on whichever
 * process, is answered 429 and blocks the address in that process's memory until the
 * window ends. A process that has not seen the address yet still counts its next failure
 * in the database and answers it 429: across N processes an address gets exactly the
 * budget of 401s per window, as with one. Addresses are IPv4 or IPv6 /64 (address-bucket.ts).
 */
/** Past this many blocked addresses, expired entries are swept so the map stays bounded. */
const SWEEP_AT = 10_000;

export class AuthFailureLimiter {
  private readonly blockedUntil = new Map<string, number>();

  /**
   * @param scope keeps the /v1 and /api/v1 counts apart, as they always were.
   * @param counters where failures are counted (default: this process's database).
   */
  constructor(
    readonly points: number,
    readonly windowSeconds: number,
    readonly scope = "v1",
    private readonly counters: () => Promise<SharedCounters> = sharedCounters,
  ) {}

  static fromEnv(
    scope = "v1",
    counters?: () => Promise<SharedCounters>,
    source: Record<string, string | undefined> = process.env,
  ): AuthFailureLimiter {
    const parsed = authFailureSettings(source);
    return new AuthFailureLimiter(
      parsed.AUTH_FAILURES_PER_WINDOW,
      parsed.AUTH_FAILURE_WINDOW_SECONDS,
      scope,
      counters,
    );
  }

  /** True while anyone is blocked here: lets the hot path skip even working out the address. */
  get anyBlocked(): boolean {
    return this.blockedUntil.size > 0;
  }

  /** Seconds the address must wait, or 0 if it may try. */
  retryAfter(address: string, now = Date.now()): number {
    const place = addressBucket(address);
    const until = this.blockedUntil.get(place);
    if (until === undefined) return 0;
    if (until > now) return Math.ceil((until - now) / 1000);
    this.blockedUntil.delete(place);
    return 0;
  }

  /** Counts a failure; resolves to the seconds to wait when it went past the budget, else 0. */
  async recordFailure(address: string, now = Date.now()): Promise<number> {
    const place = addressBucket(address);
    const [state] = await (
      await this.counters()
    ).add([
      { key: `authfail:${this.scope}:${place}`, points: 1, windowMs: this.windowSeconds * 1000 },
    ]);
    if (state.points <= this.points) return 0;
    if (this.blockedUntil.size >= SWEEP_AT) {
      for (const [blocked, until] of this.blockedUntil)
        if (until <= now) this.blockedUntil.delete(blocked);
    }
    this.blockedUntil.set(place, now + Math.max(1000, state.msLeft));
    return Math.max(1, Math.ceil(state.msLeft / 1000));
  }
}

export function tooManyFailures(retryAfterSeconds: number): ApiError {
  return new ApiError(
    429,
    "too_many_failed_attempts",
    `Too many requests with an invalid credential from this address; try again in ${retryAfterSeconds} s.`,
  );
}
