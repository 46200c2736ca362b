/**
 * The "Limits & access" part of the create and edit forms, read from FormData into the
 * API's snake_case shape, so that the same zod schemas (createKeyBody, updateKeyBody) check
 * it — except the IP allowlist, passed as the textarea's lines (ipAllowlistLines) so that
 * its errors name lines. Empty fields mean "none": every model, no rate limit, any address.
 */
export const CONTROL_FIELDS = [
  "allowed_models",
  "requests_per_minute",
  "tokens_per_minute",
  "max_concurrent",
  "budget_period",
  "ip_allowlist",
  "alert_thresholds",
] as const;

function number(formData: FormData, name: string): number | null {
  const value = formData.get(name);
  if (typeof value !== "string" || value.trim() === "") return null;
  return Number(value.trim().replace(/[,_\s]/g, ""));
}

function list(formData: FormData, name: string): string[] {
  const value = formData.get(name);
  return typeof value === "string" ? value.split(/[\s,]+/).filter(Boolean) : [];
}

export function controlsFromForm(formData: FormData) {
  const models = formData
    .getAll("allowed_models")
    .filter((v): v is string => typeof v === "string" && v !== "");
  // Kept as lines: a bad range is named by the line it is on (ipAllowlistLines).
  const ips = formData.get("ip_allowlist");
  const ipLines = typeof ips === "string" && ips.trim() !== "" ? ips.split(/\r?\n/) : null;
  const thresholds = list(formData, "alert_thresholds").map((v) => Number(v.replace(/%$/, "")));
  const period = formData.get("budget_period");
  return {
    allowed_models: models.length > 0 ? models : null,
    rate_limits: {
      requests_per_minute: number(formData, "requests_per_minute"),
      tokens_per_minute: number(formData, "tokens_per_minute"),
      max_concurrent: number(formData, "max_concurrent"),
    },
    budget_period: typeof period === "string" && period ? period : undefined,
    ip_allowlist: ipLines,
    alert_thresholds: thresholds,
  };
}

/** Field errors keyed by the form's input names (a rate limit's error is its own field's, not `rate_limits`). */
export function controlErrorKey(path: PropertyKey[]): string {
  if (path[0] === "rate_limits" && typeof path[1] === "string") return path[1];
  return String(path[0] ?? "form");
}

/** What the form showed, back from a failed submit's `values`, so nothing typed is lost. */
export function controlsFromValues(values: Record<string, FormDataEntryValue | null> | undefined) {
  if (!values) return null;
  const str = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : "");
  const num = (name: string) => (str(name).trim() === "" ? null : Number(str(name)) || null);
  const lines = (name: string) =>
    str(name)
      .split(/[\s,]+/)
      .filter(Boolean);
  return {
    allowedModels: lines("allowed_models").length > 0 ? lines("allowed_models") : null,
    requestsPerMinute: num("requests_per_minute"),
    tokensPerMinute: num("tokens_per_minute"),
    maxConcurrent: num("max_concurrent"),
    budgetPeriod: str("budget_period") || "none",
    // Line for line as typed, so that "line 4" in the error is still line 4.
    ipAllowlist: str("ip_allowlist").trim() ? str("ip_allowlist").split(/\r?\n/) : null,
    alertThresholds: lines("alert_thresholds")
      .map((v) => Number(v.replace(/%$/, "")))
      .filter((n) => Number.isFinite(n)),
  };
}
