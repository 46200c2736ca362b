import type { z } from "zod";
import { JSON_TOO_DEEP_MESSAGE, jsonDepthExceeds } from "@/lib/http/json-depth";
import { gatewayErrors } from "../gateway-error";

/**
 * A /v1 request body as JSON: a 400 when it does not parse, or nests deeper than every walk
 * over it can afford (lib/http/json-depth.ts). Every protocol's parser starts here.
 */
export function parseRequestJson(raw: Uint8Array): unknown {
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("utf8");
  if (jsonDepthExceeds(text)) throw gatewayErrors.invalidRequest(JSON_TOO_DEEP_MESSAGE);
  try {
    return JSON.parse(text);
  } catch {
    throw gatewayErrors.invalidRequest("The request body is not valid JSON.");
  }
}

/** A request body as JSON checked by a zod schema: a 400 naming the first bad field otherwise. */
export function parseJsonBody<T>(raw: Uint8Array, schema: z.ZodType<T>): T {
  const json = parseRequestJson(raw);
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const param = issue.path.length
      ? issue.path
          .map((part, i) =>
            typeof part === "number" ? `[${part}]` : `${i ? "." : ""}${String(part)}`,
          )
          .join("")
      : null;
    throw gatewayErrors.invalidRequest(
      `Invalid request${param ? ` at '${param}'` : ""}: ${issue.message}`,
      param,
    );
  }
  return result.data;
}
