"use client";

import { ChevronRight } from "lucide-react";
import { useId } from "react";
import { Field, inputClass } from "@/components/ui/field";
import { Labelled } from "@/components/ui/labelled";

export interface ControlValues {
  allowedModels: string[] | null;
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  maxConcurrent: number | null;
  budgetPeriod: string;
  ipAllowlist: string[] | null;
  alertThresholds: number[];
}

export const DEFAULT_CONTROLS: ControlValues = {
  allowedModels: null,
  requestsPerMinute: null,
  tokensPerMinute: null,
  maxConcurrent: null,
  budgetPeriod: "none",
  ipAllowlist: null,
  alertThresholds: [50, 80, 100],
};

const errorFields = [
  "allowed_models",
  "requests_per_minute",
  "tokens_per_minute",
  "max_concurrent",
  "budget_period",
  "ip_allowlist",
  "alert_thresholds",
];

/**
 * Everything beyond name, owner, limit and expiry, behind one disclosure so that the common
 * case (a name and Create) stays short. It opens by itself when one of its fields has an
 * error or a value that differs from the defaults, so nothing set is ever hidden.
 */
export function KeyControlsFields({
  initial,
  models,
  errors,
  showModels = true,
}: {
  initial: ControlValues;
  models: string[];
  errors: Record<string, string>;
  showModels?: boolean;
}) {
  const modelsLegend = useId();
  const hasError = errorFields.some((f) => errors[f]);
  const pick = (v: ControlValues) => [
    v.allowedModels,
    v.requestsPerMinute,
    v.tokensPerMinute,
    v.maxConcurrent,
    v.budgetPeriod,
    v.ipAllowlist,
    v.alertThresholds,
  ];
  const customised = JSON.stringify(pick(initial)) !== JSON.stringify(pick(DEFAULT_CONTROLS));
  // A model the key allows that is no longer enabled stays listed, so saving does not drop it silently.
  const choices = [...new Set([...models, ...(initial.allowedModels ?? [])])].sort();
  return (
    <details
      open={hasError || customised}
      className="group rounded-lg border border-zinc-200 bg-zinc-50/60"
    >
      <summary className="flex cursor-pointer list-none items-start gap-2 rounded-lg px-3 py-2.5 text-sm hover:bg-zinc-100 [&::-webkit-details-marker]:hidden">
        <ChevronRight
          aria-hidden
          className="mt-0.5 h-4 w-4 shrink-0 text-zinc-500 transition-transform group-open:rotate-90"
        />
        <span>
          <span className="block font-medium text-zinc-800">Limits &amp; access</span>
          <span className="block text-xs text-zinc-500">
            Optional: allowed models, rate limits, budget period, IP allowlist, alerts
          </span>
        </span>
      </summary>
      <div className="space-y-4 border-t border-zinc-200 px-3 py-4">
        {showModels ? (
          <fieldset
            aria-labelledby={modelsLegend}
            aria-describedby={errors.allowed_models ? `${modelsLegend}-error` : undefined}
          >
            <legend id={modelsLegend} className="text-sm font-medium text-zinc-800">
              Allowed models
            </legend>
            <p className="mb-2 text-xs text-zinc-500">Leave all unchecked to allow every model.</p>
            {choices.length === 0 ? (
              <p className="text-sm text-zinc-500">No models are enabled yet.</p>
            ) : (
              <div className="grid max-h-36 grid-cols-1 gap-1 overflow-y-auto sm:grid-cols-2">
                {choices.map((name) => (
                  <label
                    key={name}
                    className="flex min-w-0 items-center gap-2 text-sm text-zinc-700"
                  >
                    <input
                      type="checkbox"
                      name="allowed_models"
                      value={name}
                      defaultChecked={initial.allowedModels?.includes(name) ?? false}
                      className="h-4 w-4 rounded border-zinc-300"
                    />
                    <span className="truncate font-mono text-xs" title={name}>
                      {name}
                    </span>
                  </label>
                ))}
              </div>
            )}
            {errors.allowed_models ? (
              <p id={`${modelsLegend}-error`} role="alert" className="mt-1 text-sm text-red-600">
                {errors.allowed_models}
              </p>
            ) : null}
          </fieldset>
        ) : null}
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
          <Field
            label="Requests per minute"
            name="requests_per_minute"
            inputMode="numeric"
            autoComplete="off"
            placeholder="No limit"
            defaultValue={initial.requestsPerMinute ?? ""}
            error={errors.requests_per_minute}
          />
          <Field
            label="Tokens per minute"
            name="tokens_per_minute"
            inputMode="numeric"
            autoComplete="off"
            placeholder="No limit"
            defaultValue={initial.tokensPerMinute ?? ""}
            error={errors.tokens_per_minute}
          />
          <Field
            label="Concurrent requests"
            name="max_concurrent"
            inputMode="numeric"
            autoComplete="off"
            placeholder="No limit"
            defaultValue={initial.maxConcurrent ?? ""}
            error={errors.max_concurrent}
          />
        </div>
        <Labelled
          label="Budget period"
          error={errors.budget_period}
          hint="When the spend counted against the spending limit starts again (UTC)."
        >
          {(control) => (
            <select
              {...control}
              name="budget_period"
              defaultValue={initial.budgetPeriod}
              className={inputClass}
            >
              <option value="none">None: the limit is for the key&apos;s life</option>
              <option value="daily">Daily</option>
              <option value="weekly">Weekly (from Monday)</option>
              <option value="monthly">Monthly</option>
            </select>
          )}
        </Labelled>
        <Labelled
          label="IP allowlist"
          error={errors.ip_allowlist}
          hint="One address or CIDR range per line (IPv4 or IPv6). Empty: any address."
        >
          {(control) => (
            <textarea
              {...control}
              name="ip_allowlist"
              rows={2}
              placeholder={"203.0.113.0/24\n2001:db8::/32"}
              defaultValue={(initial.ipAllowlist ?? []).join("\n")}
              className={`${inputClass} font-mono`}
            />
          )}
        </Labelled>
        <Field
          label="Alert thresholds (%)"
          name="alert_thresholds"
          autoComplete="off"
          defaultValue={initial.alertThresholds.join(", ")}
          error={errors.alert_thresholds}
          hint="Percentages of the spending limit at which your webhooks are called and a notice shows here, once per period. Empty: no alerts."
        />
      </div>
    </details>
  );
}
