import type { z } from "zod";
import { DEFAULT_PRESET } from "@/lib/usage/range";

/**
 * What the Usage page says when a filter in its URL (often edited by hand) cannot be used:
 * which one, in words, and what is shown instead. Never a validator's own text.
 */
export function filterNotice(
  issue: z.core.$ZodIssue | undefined,
  query: Record<string, string | undefined>,
): string {
  const instead = `Showing the last ${DEFAULT_PRESET} days instead.`;
  const field = String(issue?.path[0] ?? "");
  if (field === "range")
    return `“${shown(query.range)}” is not a range this page offers (7, 30 or 90 days). ${instead}`;
  if (field === "from" || field === "to")
    return `The ${field === "from" ? "start" : "end"} date “${shown(query[field])}” cannot be used: ${lower(issue?.message)}. ${instead}`;
  return `${issue?.message ?? "The filters were not valid"}. ${instead}`;
}

function shown(value: string | undefined): string {
  const text = value ?? "";
  return text.length > 24 ? `${text.slice(0, 23)}…` : text;
}

function lower(message: string | undefined): string {
  const text = message ?? "it is not a date";
  return text.charAt(0).toLowerCase() + text.slice(1);
}
