import { gatewayErrors } from "../gateway-error";

/**
 * A non-stream JSON answer, read so that a large one never sits in memory whole: the first
 * BUFFERED_BYTES are gathered (most answers end there, and are handled as one Buffer, as
 * before); past that the answer is relayed to the client chunk by chunk as it arrives, and
 * only its first and last WINDOW_BYTES are kept, where servers put `usage` (OpenAI and vLLM
 * write it last, after `data`). 80 concurrent embeddings of 450 × 3072 floats are ~30 MB of
 * JSON each: parsed whole they held gigabytes of objects; relayed, a few megabytes.
 */
export const BUFFERED_BYTES = 1 << 20;
const WINDOW_BYTES = 64 * 1024;

export type JsonAnswer =
  | { whole: Buffer }
  | {
      /** The answer's bytes, to iterate to the end (or `return()` to abort the upstream). */
      body: AsyncIterable<Uint8Array>;
      /** The top-level `usage` object, once the body has been read to the end (null: none found). */
      usage: Promise<Record<string, unknown> | null>;
    };

export async function readJsonAnswer(
  source: AsyncIterable<Uint8Array>,
  maxBytes: number,
): Promise<JsonAnswer> {
  const iterator = source[Symbol.asyncIterator]();
  const first: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await iterator.next();
    if (done) return { whole: first.length === 1 ? first[0] : Buffer.concat(first, size) };
    const chunk = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    first.push(chunk);
    size += chunk.byteLength;
    if (size > maxBytes) {
      await iterator.return?.();
      throw gatewayErrors.upstreamError("The model server's answer is larger than allowed.");
    }
    if (size > BUFFERED_BYTES) break;
  }

  const head = Buffer.concat(first, size).subarray(0, WINDOW_BYTES).toString("utf8");
  let tail: Buffer = Buffer.alloc(0);
  const keepTail = (chunk: Buffer) => {
    tail =
      chunk.byteLength >= WINDOW_BYTES
        ? chunk.subarray(chunk.byteLength - WINDOW_BYTES)
        : Buffer.concat([tail, chunk]).subarray(-WINDOW_BYTES);
  };
  let resolveUsage!: (usage: Record<string, unknown> | null) => void;
  const usage = new Promise<Record<string, unknown> | null>((resolve) => (resolveUsage = resolve));

  async function* relay(): AsyncGenerator<Uint8Array> {
    let ended = false;
    try {
      while (first.length > 0) {
        const chunk = first.shift()!;
        keepTail(chunk);
        yield chunk;
      }
      for (;;) {
        const { value, done } = await iterator.next();
        if (done) break;
        size += value.byteLength;
        if (size > maxBytes)
          throw gatewayErrors.upstreamError("The model server's answer is larger than allowed.");
        const chunk = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
        keepTail(chunk);
        yield chunk;
      }
      ended = true;
    } finally {
      if (!ended) await iterator.return?.();
      resolveUsage(ended ? (usageIn(tail.toString("utf8")) ?? usageIn(head)) : null);
    }
  }
  return { body: relay(), usage };
}

/** The last `"usage": {...}` object in a piece of JSON text, parsed; null if none is whole there. */
export function usageIn(text: string): Record<string, unknown> | null {
  let at = text.lastIndexOf('"usage"');
  while (at >= 0) {
    const open = text.indexOf("{", at);
    const between = open < 0 ? "" : text.slice(at + 7, open);
    if (open >= 0 && /^\s*:\s*$/.test(between)) {
      const close = matchingBrace(text, open);
      if (close > 0) {
        try {
          return JSON.parse(text.slice(open, close + 1)) as Record<string, unknown>;
        } catch {
          // not a whole object: look further back
        }
      }
    }
    at = at > 0 ? text.lastIndexOf('"usage"', at - 1) : -1;
  }
  return null;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return i;
  }
  return -1;
}
