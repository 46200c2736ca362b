import type { z } from "zod";

/** What a form's server action returns: errors per field, a form-wide error, and what to keep in the fields. */
export interface FormState {
  fieldErrors?: Record<string, string>;
  formError?: string;
  values?: Record<string, FormDataEntryValue | null>;
  ok?: boolean;
}

/** The first message of each field that failed, keyed by field name (or by `keyOf` for nested inputs). */
export function fieldErrors(
  error: z.ZodError,
  keyOf: (path: PropertyKey[]) => string = topLevelField,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = keyOf(issue.path);
    out[key] ??= issue.message;
  }
  return out;
}

function topLevelField(path: PropertyKey[]): string {
  return String(path[0] ?? "form");
}
