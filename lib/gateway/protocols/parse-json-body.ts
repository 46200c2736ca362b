import type { z } from "zod";
import { gatewayErrors } from "../gateway-error";

/** A request body as JSON checked by a zod schema: a 400 naming the first bad field otherwise. */
export function parseJsonBody<T>(raw: Uint8Array, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("utf8"));
  } catch {
    throw gatewayErrors.invalidRequest("The request body is not valid JSON.");
  }
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
