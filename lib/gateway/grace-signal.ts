import type { ClientSignal } from "./client-signal";

/**
 * The client's signal, delayed: it aborts `graceMs` after the client went away. A
 * non-streamed answer is usually close to done when an impatient client leaves, and the
 * upstream's usage (what the key is charged) only comes with the whole answer; cutting the
 * upstream at once would leave the work unbilled. `dispose()` once the call is over.
 */
export class GraceSignal implements ClientSignal {
  aborted = false;
  private listeners: (() => void)[] | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly client: ClientSignal,
    private readonly graceMs: number,
  ) {
    if (client.aborted) this.startGrace();
    else client.addEventListener("abort", this.startGrace);
  }

  addEventListener(_type: "abort", listener: () => void): void {
    if (this.aborted) return;
    (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: "abort", listener: () => void): void {
    const at = this.listeners?.indexOf(listener) ?? -1;
    if (at >= 0) this.listeners!.splice(at, 1);
  }

  dispose(): void {
    this.client.removeEventListener("abort", this.startGrace);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.listeners = null;
  }

  private readonly startGrace = () => {
    if (this.timer || this.aborted) return;
    this.timer = setTimeout(this.abort, this.graceMs);
    this.timer.unref();
  };

  private readonly abort = () => {
    this.timer = null;
    this.aborted = true;
    const listeners = this.listeners;
    this.listeners = null;
    for (const listener of listeners ?? []) listener();
  };
}
