import type { Availability, BreakerState, FailureInput } from "@/lib/models/breaker-rules";

/**
 * Circuit breakers of every deployment, shared by every process: the database (rows in
 * deployment_breakers, changes announced through LISTEN/NOTIFY) or Redis. Reads come from
 * this process's cache, so a request never waits for the store; only failures, the first
 * success after them and probe claims write.
 */
export interface BreakerStore {
  availability(deploymentId: string, now: number): Availability;
  /** The cached state (undefined: closed, never failed). */
  state(deploymentId: string): BreakerState | undefined;
  /** Claims the one probe of a deployment whose cooldown is over; false when another has it. */
  claimProbe(deploymentId: string, now: number): Promise<boolean>;
  success(deploymentId: string, now: number): Promise<void>;
  failure(deploymentId: string, input: FailureInput, now: number): Promise<void>;
  /** The breakers this process holds (every one not closed and without failures is absent). */
  known(): Iterable<[string, BreakerState]>;
  /** Reloads everything (start-up, and now and then in case a notification was missed). */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

/** Told once, by the process whose write made it so. */
export type BreakerTransition = (
  deploymentId: string,
  change: "opened" | "closed",
  state: BreakerState,
) => void;
