/**
 * "The client went away", as the gateway core needs it: whether it happened, and a callback
 * when it does. A Web `AbortSignal` is one (route handlers, the Playground pass theirs);
 * the node adapter passes a `ClientGone`, because an AbortController per request, with its
 * EventTarget, showed in the bench's profile of the /v1 hot path (~2% of its CPU) for a
 * signal that fires on a small share of requests.
 */
export interface ClientSignal {
  readonly aborted: boolean;
  addEventListener(type: "abort", listener: () => void): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

export class ClientGone implements ClientSignal {
  aborted = false;
  protected listeners: (() => void)[] | null = null;

  addEventListener(_type: "abort", listener: () => void): void {
    if (this.aborted) return;
    (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: "abort", listener: () => void): void {
    const at = this.listeners?.indexOf(listener) ?? -1;
    if (at >= 0) this.listeners!.splice(at, 1);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.listeners;
    this.listeners = null;
    for (const listener of listeners ?? []) listener();
  }
}
