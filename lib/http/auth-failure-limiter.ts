import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { z } from "zod";
import { ApiError } from "./errors";

/**
 * Refuses (429) a client address that keeps presenting bad credentials: key scanners and
 * misconfigured scripts hammering `/v1` or `/api/v1`. Only failures are counted, so a busy
 * client with a good key never touches the limiter; the only cost on the good path is
 * `isBlocked`, a Map lookup that is skipped outright while nobody is blocked.
 *
 * Memory per process (rate-limiter-flexible's memory store); with several processes each
 * counts on its own, so the effective budget is `points × processes` per window.
 */
const settings = z.object({
  AUTH_FAILURES_PER_WINDOW: z.coerce.number().int().min(1).default(30),
  AUTH_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
});

/** Past this many blocked addresses, expired entries are swept so the map stays bounded. */
const SWEEP_AT = 10_000;

export class AuthFailureLimiter {
  private readonly limiter: RateLimiterMemory;
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    readonly points: number,
    readonly windowSeconds: number,
  ) {
    this.limiter = new RateLimiterMemory({ points, duration: windowSeconds });
  }

  static fromEnv(source: Record<string, string | undefined> = process.env): AuthFailureLimiter {
    const parsed = settings.parse(source);
    return new AuthFailureLimiter(
      parsed.AUTH_FAILURES_PER_WINDOW,
      parsed.AUTH_FAILURE_WINDOW_SECONDS,
    );
  }

  /** True while anyone is blocked: lets the hot path skip even working out the address. */
  get anyBlocked(): boolean {
    return this.blockedUntil.size > 0;
  }

  /** Seconds the address must wait, or 0 if it may try. */
  retryAfter(address: string, now = Date.now()): number {
    const until = this.blockedUntil.get(address);
    if (until === undefined) return 0;
    if (until > now) return Math.ceil((until - now) / 1000);
    this.blockedUntil.delete(address);
    return 0;
  }

  async recordFailure(address: string, now = Date.now()): Promise<void> {
    try {
      await this.limiter.consume(address);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      if (this.blockedUntil.size >= SWEEP_AT) {
        for (const [blocked, until] of this.blockedUntil)
          if (until <= now) this.blockedUntil.delete(blocked);
      }
      this.blockedUntil.set(address, now + rejection.msBeforeNext);
    }
  }
}

export function tooManyFailures(retryAfterSeconds: number): ApiError {
  return new ApiError(
    429,
    "too_many_failed_attempts",
    `Too many requests with an invalid credential from this address; try again in ${retryAfterSeconds} s.`,
  );
}
