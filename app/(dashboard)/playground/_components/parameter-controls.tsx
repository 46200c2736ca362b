"use client";

import { useId } from "react";
import { inputClass } from "@/components/ui/field";
import { PARAM_BOUNDS } from "@/lib/playground/schemas";

/** The form's raw values: a number input may hold anything while the user types. */
export interface ParamDraft {
  temperature: number;
  top_p: number;
  top_k: string;
  max_tokens: string;
}

export type ParamErrors = Partial<Record<keyof ParamDraft, string>>;

export function validateParams(draft: ParamDraft, maxOutputTokens: number): ParamErrors {
  const errors: ParamErrors = {};
  const topK = draft.top_k.trim();
  if (topK !== "" && !isIntIn(topK, PARAM_BOUNDS.top_k.min, PARAM_BOUNDS.top_k.max)) {
    errors.top_k = `A whole number from ${PARAM_BOUNDS.top_k.min} to ${PARAM_BOUNDS.top_k.max}, or empty`;
  }
  if (!isIntIn(draft.max_tokens.trim(), 1, maxOutputTokens))
    errors.max_tokens = `A whole number from 1 to ${maxOutputTokens}`;
  return errors;
}

function isIntIn(text: string, min: number, max: number): boolean {
  if (!/^\d+$/.test(text)) return false;
  const value = Number(text);
  return value >= min && value <= max;
}

function Slider({
  label,
  hint,
  value,
  bounds,
  onChange,
}: {
  label: string;
  hint: string;
  value: number;
  bounds: { min: number; max: number; step: number };
  onChange: (value: number) => void;
}) {
  const id = useId();
  return (
    <div className="space-y-1">
      <div className="flex items-center justify-between">
        <label htmlFor={id} className="text-sm font-medium text-zinc-800">
          {label}
        </label>
        <output htmlFor={id} className="font-mono text-xs text-zinc-700">
          {value.toFixed(2)}
        </output>
      </div>
      <input
        id={id}
        type="range"
        min={bounds.min}
        max={bounds.max}
        step={bounds.step}
        value={value}
        aria-describedby={`${id}-hint`}
        onChange={(e) => onChange(Number(e.currentTarget.value))}
        className="w-full accent-brand-600"
      />
      <p id={`${id}-hint`} className="text-xs text-zinc-500">
        {hint}
      </p>
    </div>
  );
}

function NumberInput({
  label,
  hint,
  value,
  error,
  placeholder,
  onChange,
}: {
  label: string;
  hint: string;
  value: string;
  error?: string;
  placeholder?: string;
  onChange: (value: string) => void;
}) {
  const id = useId();
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-zinc-800">
        {label}
      </label>
      <input
        id={id}
        inputMode="numeric"
        value={value}
        placeholder={placeholder}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-note`}
        onChange={(e) => onChange(e.currentTarget.value)}
        className={inputClass}
      />
      <p
        id={`${id}-note`}
        role={error ? "alert" : undefined}
        className={error ? "text-xs text-red-600" : "text-xs text-zinc-500"}
      >
        {error ?? hint}
      </p>
    </div>
  );
}

/** Temperature, top_p, top_k and max_tokens, as the curl command beside them sends them. */
export function ParameterControls({
  draft,
  errors,
  maxOutputTokens,
  onChange,
}: {
  draft: ParamDraft;
  errors: ParamErrors;
  maxOutputTokens: number;
  onChange: (draft: ParamDraft) => void;
}) {
  const set = <K extends keyof ParamDraft>(name: K, value: ParamDraft[K]) =>
    onChange({ ...draft, [name]: value });
  return (
    <section
      aria-labelledby="parameters-title"
      className="rounded-xl border border-zinc-200 bg-white p-4"
    >
      <h2 id="parameters-title" className="text-sm font-semibold">
        Parameters
      </h2>
      <div className="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-1">
        <Slider
          label="Temperature"
          hint="Higher is more varied, lower more focused."
          value={draft.temperature}
          bounds={PARAM_BOUNDS.temperature}
          onChange={(v) => set("temperature", v)}
        />
        <Slider
          label="Top P"
          hint="Sample only from the most likely tokens that add up to this share."
          value={draft.top_p}
          bounds={PARAM_BOUNDS.top_p}
          onChange={(v) => set("top_p", v)}
        />
        <NumberInput
          label="Top K"
          hint="Sample from this many most likely tokens. Empty: not sent."
          placeholder="Not set"
          value={draft.top_k}
          error={errors.top_k}
          onChange={(v) => set("top_k", v)}
        />
        <NumberInput
          label="Max tokens"
          hint={
            maxOutputTokens >= 1_000_000
              ? "The longest answer. This model sets no cap of its own."
              : `The longest answer, up to ${maxOutputTokens.toLocaleString("en-US")} for this model.`
          }
          value={draft.max_tokens}
          error={errors.max_tokens}
          onChange={(v) => set("max_tokens", v)}
        />
      </div>
    </section>
  );
}
