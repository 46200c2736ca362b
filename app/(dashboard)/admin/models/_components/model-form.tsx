"use client";

import { useActionState, useEffect } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import type { FormState } from "@/lib/forms/form-state";
import type { ModelView } from "@/lib/models/schemas";

/** Register or edit a model. The credential is write-only: the form never shows it. */
export function ModelForm({
  model,
  currency,
  action,
  onDone,
}: {
  model?: ModelView;
  currency: string;
  action: (prev: FormState, formData: FormData) => Promise<FormState>;
  onDone: () => void;
}) {
  const [state, formAction, pending] = useActionState<FormState, FormData>(action, {});
  useEffect(() => {
    if (state.ok) onDone();
  }, [state.ok, onDone]);
  const value = (field: keyof ModelView & string, fallback = "") =>
    String(state.values?.[field] ?? (model ? ((model[field] as string | number | null) ?? fallback) : fallback));
  const errors = state.fieldErrors ?? {};
  const builtin = model?.builtin ?? false;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormAlert message={state.formError} />
      <Field label="Name" name="name" required disabled={builtin} defaultValue={value("name")} error={errors.name}
        hint="What clients send as `model`, e.g. qwen2.5-7b-instruct." />
      {builtin ? null : (
        <>
          <Field label="Base URL" name="base_url" type="url" required placeholder="http://vllm.internal:8000/v1"
            defaultValue={value("base_url")} error={errors.base_url} hint="An OpenAI-compatible server; /chat/completions is appended." />
          <Field label="Upstream model" name="upstream_model" defaultValue={model && model.upstream_model !== model.name ? model.upstream_model : String(state.values?.upstream_model ?? "")}
            error={errors.upstream_model} hint="The name the upstream knows it by, if different." />
          <Field label="API key" name="api_key" type="password" autoComplete="off" error={errors.api_key}
            hint={model?.has_api_key ? "A key is set. Leave blank to keep it." : "Sent upstream as a Bearer token; stored encrypted, never shown again."} />
          {model?.has_api_key ? (
            <label className="flex items-center gap-2 text-sm text-zinc-700">
              <input type="checkbox" name="remove_api_key" className="h-4 w-4 rounded border-zinc-300" /> Remove the stored API key
            </label>
          ) : null}
        </>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label={`Input price per 1M tokens (${currency})`} name="input_price_per_million" inputMode="decimal" required
          defaultValue={value("input_price_per_million")} error={errors.input_price_per_million} />
        <Field label={`Output price per 1M tokens (${currency})`} name="output_price_per_million" inputMode="decimal" required
          defaultValue={value("output_price_per_million")} error={errors.output_price_per_million} />
      </div>
      <Field label="Max output tokens" name="max_output_tokens" type="number" min={1} defaultValue={value("max_output_tokens", "")}
        error={errors.max_output_tokens} hint="Caps max_tokens and sizes the spending-limit reservation. Blank: no cap of the model's own." />
      {model ? null : (
        <label className="flex items-center gap-2 text-sm text-zinc-700">
          <input type="checkbox" name="enabled" defaultChecked className="h-4 w-4 rounded border-zinc-300" /> Enabled
        </label>
      )}
      <div className="flex justify-end gap-2 pt-2">
        <Button variant="secondary" onClick={onDone}>Cancel</Button>
        <Button type="submit" disabled={pending}>{pending ? "Saving…" : model ? "Save" : "Register model"}</Button>
      </div>
    </form>
  );
}
