import { z } from "zod";
import { ERROR_CODES, type ErrorCode } from "@/lib/errors/error-codes";

/** The envelope every error goes out in (lib/errors/api-error.ts); `code` is the closed vocabulary. */
export const errorEnvelope = z.object({
  error: z.object({
    message: z.string(),
    type: z.string(),
    param: z.string().nullable(),
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]).meta({
      description: "What went wrong, for scripts to branch on (docs/api.md, Errors).",
    }),
  }),
});

export const ERROR_SCHEMA_NAME = "Error";
const ERROR_SCHEMA_REF = `#/components/schemas/${ERROR_SCHEMA_NAME}`;

const meaning: Record<number, string> = {
  400: "The body is not valid JSON",
  401: "No credential, or a bad, revoked, expired or rolled key, or a disabled account",
  403: "Not allowed",
  404: "Not found, or not visible to the caller",
  409: "Conflicts with the current state",
  413: "The body is larger than its cap",
  422: "Invalid input; `param` names the field",
  429: "Too many requests; `retry-after` says when to retry",
  500: "A bug in the server",
  503: "The server cannot reach its database; retry shortly",
};

/** An operation's error responses: per status, what it means and the codes that come with it. */
export function errorResponses(byStatus: Map<number, readonly ErrorCode[]>) {
  return Object.fromEntries(
    [...byStatus].map(([status, codes]) => [
      String(status),
      {
        description: `${meaning[status] ?? "Refused"}: ${codes.map((code) => `\`${code}\``).join(", ")}`,
        content: { "application/json": { schema: { $ref: ERROR_SCHEMA_REF } } },
      },
    ]),
  );
}
