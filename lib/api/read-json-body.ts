import { ApiError, requestTooLarge } from "@/lib/errors/api-error";
import { JSON_TOO_DEEP_MESSAGE, jsonDepthExceeds } from "@/lib/http/json-depth";

/**
 * A management request's JSON body, read with a cap. `request.text()` would buffer a body
 * of any size before its length could be checked; here a declared Content-Length over the
 * cap is refused before reading, and a streamed body is refused as soon as it passes it.
 */
export async function readJsonBody(request: Request, limit: number): Promise<unknown> {
  const tooLarge = () => requestTooLarge(limit);
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks, size).toString("utf8");
  if (text.trim() === "") return {};
  if (jsonDepthExceeds(text)) throw new ApiError(400, "invalid_request", JSON_TOO_DEEP_MESSAGE);
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, "invalid_request", "The body is not valid JSON.");
  }
}
