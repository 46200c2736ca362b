/**
 * Reads a whole Node stream (an IncomingMessage, an undici response body) into one Buffer,
 * refusing more than `limit` bytes as soon as it is passed. Event listeners and one promise,
 * rather than `for await`: the async iterator costs a promise and a stream wrapper per chunk
 * and showed in the bench's profile on every /v1 request (it reads two bodies).
 */
export interface NodeReadable {
  on(event: "data", listener: (chunk: Buffer) => void): unknown;
  on(event: "end", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  on(event: "close", listener: () => void): unknown;
  removeAllListeners(event?: string): unknown;
  destroy(error?: Error): unknown;
  readableEnded?: boolean;
}

export function isNodeReadable(value: unknown): value is NodeReadable {
  return (
    typeof (value as { on?: unknown } | null)?.on === "function" &&
    typeof (value as { destroy?: unknown }).destroy === "function"
  );
}

export function readNodeStream(
  stream: NodeReadable,
  limit: number,
  tooLarge: () => Error,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (error: Error | null) => {
      if (settled) return;
      settled = true;
      stream.removeAllListeners("data");
      if (error) reject(error);
      else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    stream.on("data", (chunk) => {
      size += chunk.byteLength;
      if (size > limit) {
        // Stop reading, as `for await` would on a throw: the rest is never buffered.
        finish(tooLarge());
        stream.destroy();
        return;
      }
      chunks.push(chunk);
    });
    stream.on("end", () => finish(null));
    stream.on("error", (error) => finish(error));
    // Closed without an end: the peer went away mid-body. (A close follows every end too:
    // the error, whose stack is costly, is only made when it is the real outcome.)
    stream.on("close", () => {
      if (!settled)
        finish(
          Object.assign(new Error("stream closed before its end"), {
            name: "AbortError",
            code: "ABORT_ERR",
          }),
        );
    });
  });
}
