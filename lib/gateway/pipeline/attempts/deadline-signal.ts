import { ClientGone, type ClientSignal } from "../../client-signal";

/**
 * What aborts one attempt when the model has a `routing.timeout_ms` (PRODUCT.md "Routing":
 * one deadline for the whole request, all attempts included): the client's own signal, or
 * the deadline passing while the attempt waits for its answer. The provider gives it to
 * the upstream call, so at the deadline the upstream request is really aborted (its socket
 * closed), not left running behind a 504.
 *
 * Armed until the answer begins (a non-stream answer read whole; a stream's first content
 * passed to the client): `disarm` then leaves only the client's signal. A stream already
 * delivering content is not cut by the deadline: nothing could fail over by then, and the
 * stall timeout guards a stream that stops.
 */
export class DeadlineSignal extends ClientGone {
  timedOut = false;
  private timer: NodeJS.Timeout | null;
  private readonly onParent = () => this.abort();

  constructor(
    private readonly parent: ClientSignal,
    msLeft: number,
  ) {
    super();
    if (parent.aborted) this.aborted = true;
    else parent.addEventListener("abort", this.onParent);
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.timedOut = true;
        this.abort();
      },
      Math.max(0, msLeft),
    );
  }

  /** The answer has begun: the deadline no longer applies to this attempt. */
  disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The attempt failed: nothing listens any more. */
  dispose(): void {
    this.disarm();
    this.parent.removeEventListener("abort", this.onParent);
  }
}
