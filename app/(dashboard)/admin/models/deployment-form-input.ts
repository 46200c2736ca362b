import { z } from "zod";

/**
 * Admin → Models' deployment form (add and edit) as the API's input: blanks are absent (on
 * edit, a blank limit or upstream model is cleared), numbers are numbers, and what is not a
 * whole number in range gets a message next to its field before the API's schema runs.
 */
const NUMBERS = {
  weight: { min: 1, max: 1000 },
  priority: { min: 0, max: 100 },
  requests_per_minute: { min: 1, max: 100_000_000 },
  tokens_per_minute: { min: 1, max: 100_000_000 },
} as const;
const CLEARED_ON_EDIT = new Set(["requests_per_minute", "tokens_per_minute", "upstream_model"]);

export const DEPLOYMENT_FIELDS = [
  "base_url",
  "upstream_model",
  "api_key",
  ...(Object.keys(NUMBERS) as (keyof typeof NUMBERS)[]),
] as const;

export function readDeploymentForm(
  formData: FormData,
  mode: "create" | "update",
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of DEPLOYMENT_FIELDS) {
    const raw = formData.get(field);
    const text = typeof raw === "string" ? raw.trim() : "";
    if (text === "") {
      if (mode === "update" && CLEARED_ON_EDIT.has(field)) input[field] = null;
      continue;
    }
    input[field] = field in NUMBERS && /^\d+$/.test(text) ? Number(text) : text;
  }
  if (mode === "update" && formData.get("remove_api_key") === "on") input.api_key = null;
  return input;
}

/** Plain messages for the form's own mistakes; the API's schema (`then`) judges the rest. */
export function deploymentForm<S extends z.ZodType>(then: S, mode: "create" | "update") {
  return (
    z
      .record(z.string(), z.unknown())
      .superRefine((input, ctx) => {
        if (mode === "create" && input.base_url === undefined)
          ctx.addIssue({
            code: "custom",
            path: ["base_url"],
            message: "Enter the deployment's base URL, e.g. http://vllm-2:8000/v1",
          });
        for (const [field, { min, max }] of Object.entries(NUMBERS)) {
          const value = input[field];
          if (value === undefined || value === null) continue;
          if (typeof value !== "number" || value < min || value > max)
            ctx.addIssue({
              code: "custom",
              path: [field],
              message: `Enter a whole number from ${min} to ${max.toLocaleString("en-US")}`,
            });
        }
      })
      // The record is the schema's input as the form gives it; the schema checks it field by field.
      .pipe(then as unknown as z.ZodType<z.output<S>, Record<string, unknown>>)
  );
}
