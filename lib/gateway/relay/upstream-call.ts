import type { Dispatcher } from "undici";
import type { ClientSignal } from "../client-signal";
import { parseRetryAfter } from "./retry-after";

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * One request to a model server through undici's `dispatch` with our own handler, instead
 * of `pool.request()`. `request()` wraps every response in a Readable stream, an
 * AsyncResource and its own AbortSignal listener; the bench's profile showed that machinery
 * as a large share of the gateway's own CPU on every /v1 request. Here a non-stream answer
 * is gathered straight into one Buffer (`collect`), and a stream is read as an async
 * iterable with backpressure through undici's pause/resume.
 *
 * The response (status, content type) resolves once the headers are in; errors before that
 * reject it, errors after it surface from the body. Aborting (the client's signal, `discard`,
 * or leaving a `for await` early) aborts the upstream request; after the body has ended it
 * does nothing, so a connection handed back to the pool is never touched again.
 */
export interface UpstreamHead {
  status: number;
  contentType: string;
  /** On an error status only: how long the upstream asked us to wait (Retry-After, retry-after-ms). */
  retryAfterMs?: number | null;
}

/** Upstream reads pause past this many unread bytes (a slow client on a fast model). */
const HIGH_WATER_BYTES = 64 * 1024;

type Waiter = {
  resolve: (result: IteratorResult<Uint8Array>) => void;
  reject: (error: Error) => void;
};
type Collector = {
  limit: number;
  tooLarge: () => Error;
  size: number;
  resolve: (body: Buffer) => void;
  reject: (error: Error) => void;
};

export class UpstreamCall implements Dispatcher.DispatchHandler, AsyncIterable<Uint8Array> {
  readonly head: Promise<UpstreamHead>;
  private resolveHead!: (head: UpstreamHead) => void;
  private rejectHead!: (error: Error) => void;
  private controller: Dispatcher.DispatchController | null = null;
  private headersIn = false;
  private ended = false;
  private failure: Error | null = null;
  private abortReason: Error | null = null;
  private readonly chunks: Buffer[] = [];
  private queuedBytes = 0;
  private waiter: Waiter | null = null;
  private collector: Collector | null = null;
  private readonly signal: ClientSignal | null;
  private readonly onSignalAbort = () => this.abort(abortError());
  /** Called once when the request is over (its connection is free again): connection-share.ts. */
  private onOver: (() => void) | null;

  constructor(signal: ClientSignal | null, onOver: (() => void) | null = null) {
    this.onOver = onOver;
    this.head = new Promise((resolve, reject) => {
      this.resolveHead = resolve;
      this.rejectHead = reject;
    });
    this.signal = signal;
    if (signal?.aborted) this.abortReason = abortError();
    else signal?.addEventListener("abort", this.onSignalAbort);
  }

  /** Aborts the upstream request unless it has already ended. */
  abort(reason?: Error): void {
    if (this.ended || this.failure) return;
    // Made only when needed: every stream is discarded at its end, and an Error's stack
    // trace cost ~3% of a streamed request's CPU when it was made on each.
    this.abortReason ??= reason ?? abortError();
    // Before undici has started the request, onRequestStart sees abortReason and aborts it.
    this.controller?.abort(this.abortReason);
  }

  // --- undici's side -------------------------------------------------------------------

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.abortReason) controller.abort(this.abortReason);
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    if (statusCode < 200) return; // 1xx informational: the real answer follows.
    this.headersIn = true;
    const type = headers["content-type"];
    this.resolveHead({
      status: statusCode,
      contentType: (Array.isArray(type) ? type[0] : type) ?? "",
      // Read only on an error: a success's headers are not looked at again.
      retryAfterMs:
        statusCode >= 400
          ? parseRetryAfter(first(headers["retry-after"]), first(headers["retry-after-ms"]))
          : null,
    });
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const collector = this.collector;
    if (collector) {
      collector.size += chunk.byteLength;
      if (collector.size > collector.limit) {
        // Stop reading at once: the rest is never buffered.
        this.collector = null;
        collector.reject(collector.tooLarge());
        this.abort();
        return;
      }
      this.chunks.push(chunk);
      return;
    }
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = null;
      waiter.resolve({ value: chunk, done: false });
      return;
    }
    this.chunks.push(chunk);
    this.queuedBytes += chunk.byteLength;
    if (this.queuedBytes > HIGH_WATER_BYTES) controller.pause();
  }

  onResponseEnd(): void {
    this.ended = true;
    this.release();
    const collector = this.collector;
    if (collector) {
      this.collector = null;
      collector.resolve(
        this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, collector.size),
      );
      this.chunks.length = 0;
      return;
    }
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = null;
      waiter.resolve({ value: undefined, done: true });
    }
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.failure = this.abortReason && !this.ended ? this.abortReason : error;
    this.release();
    if (!this.headersIn) {
      this.rejectHead(this.failure);
      return;
    }
    const collector = this.collector;
    if (collector) {
      this.collector = null;
      collector.reject(this.failure);
    }
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = null;
      waiter.reject(this.failure);
    }
  }

  // --- the gateway's side --------------------------------------------------------------

  /** The whole body as one Buffer, refusing (and aborting) past `limit` bytes. */
  collect(limit: number, tooLarge: () => Error): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      let size = 0;
      for (const chunk of this.chunks) size += chunk.byteLength;
      if (size > limit) {
        this.abort();
        return reject(tooLarge());
      }
      if (this.ended) {
        resolve(this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, size));
        this.chunks.length = 0;
        return;
      }
      this.collector = { limit, tooLarge, size, resolve, reject };
      this.queuedBytes = 0;
      this.controller?.resume();
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: () => this.next(),
      return: async () => {
        this.abort();
        return { value: undefined, done: true };
      },
    };
  }

  private next(): Promise<IteratorResult<Uint8Array>> {
    const chunk = this.chunks.shift();
    if (chunk) {
      this.queuedBytes -= chunk.byteLength;
      if (this.queuedBytes <= HIGH_WATER_BYTES / 2 && this.controller?.paused)
        this.controller.resume();
      return Promise.resolve({ value: chunk, done: false });
    }
    if (this.failure) return Promise.reject(this.failure);
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  private release(): void {
    this.signal?.removeEventListener("abort", this.onSignalAbort);
    const onOver = this.onOver;
    this.onOver = null;
    onOver?.();
  }
}

function abortError(): Error {
  return Object.assign(new Error("The request was aborted."), {
    name: "AbortError",
    code: "UND_ERR_ABORTED",
  });
}
