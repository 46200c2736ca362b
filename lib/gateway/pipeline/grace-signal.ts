import { ClientGone, type ClientSignal } from "../client-signal";

/**
 * The client's signal, delayed: it aborts `graceMs` after the client went away. A
 * non-streamed answer is usually close to done when an impatient client leaves, and the
 * upstream's usage (what the key is charged) only comes with the whole answer; cutting the
 * upstream at once would leave the work unbilled. `dispose()` once the call is over.
 */
export class GraceSignal extends ClientGone {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly client: ClientSignal,
    private readonly graceMs: number,
  ) {
    super();
    if (client.aborted) this.startGrace();
    else client.addEventListener("abort", this.startGrace);
  }

  dispose(): void {
    this.client.removeEventListener("abort", this.startGrace);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.listeners = null;
  }

  private readonly startGrace = () => {
    if (this.timer || this.aborted) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.abort();
    }, this.graceMs);
    this.timer.unref();
  };
}
