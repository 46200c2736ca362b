"use client";

import { useActionState, useEffect } from "react";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { Labelled } from "@/components/ui/labelled";
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
    String(state.values?.[field] ?? (model ? (model[field] as string | number) : fallback));
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
            defaultValue={value("base_url")} error={errors.base_url}
            hint="OpenAI-compatible: the server's /v1 URL (/chat/completions is appended). Anthropic: https://api.anthropic.com (/v1/messages is appended)." />
          <Field label="Upstream model" name="upstream_model" defaultValue={model && model.upstream_model !== model.name ? model.upstream_model : String(state.values?.upstream_model ?? "")}
            error={errors.upstream_model} hint="The name the upstream knows it by, if different." />
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField label="Provider" name="provider" value={value("provider", "openai")} error={errors.provider}
              options={[["openai", "OpenAI-compatible (vLLM, TGI, Ollama, NIM, OpenAI)"], ["anthropic", "Anthropic Messages"]]} />
            <SelectField label="Kind" name="kind" value={value("kind", "chat")} error={errors.kind}
              options={[["chat", "Chat (chat, responses, completions)"], ["embedding", "Embedding (/v1/embeddings)"]]} />
          </div>
          <input type="hidden" name="has_native_responses_field" value="1" />
          <label className="flex items-center gap-2 text-sm text-zinc-700">
            <input type="checkbox" name="native_responses" defaultChecked={model?.native_responses ?? false} className="h-4 w-4 rounded border-zinc-300" />
            Serves the Responses API itself (pass /v1/responses through; otherwise it is translated onto chat completions)
          </label>
          <Field label="API key" name="api_key" type="password" autoComplete="off" error={errors.api_key}
            hint={model?.has_api_key ? "A key is set. Leave blank to keep it." : "Sent upstream as a Bearer token (Anthropic: as x-api-key); stored encrypted, never shown again."} />
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
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label={`Cached input price per 1M tokens (${currency})`} name="cached_input_price_per_million" inputMode="decimal"
          defaultValue={model?.cached_input_price_per_million ?? String(state.values?.cached_input_price_per_million ?? "")}
          error={errors.cached_input_price_per_million} hint="Input tokens read from the upstream's prompt cache. Blank: the input price." />
        <Field label={`Cache write price per 1M tokens (${currency})`} name="cache_write_price_per_million" inputMode="decimal"
          defaultValue={model?.cache_write_price_per_million ?? String(state.values?.cache_write_price_per_million ?? "")}
          error={errors.cache_write_price_per_million} hint="Input tokens written to the prompt cache (Anthropic's cache_creation_input_tokens). Blank: the input price." />
      </div>
      <Field label="Max output tokens" name="max_output_tokens" type="number" min={1} defaultValue={value("max_output_tokens", "4096")}
        error={errors.max_output_tokens} hint="Caps max_tokens and sizes the spending-limit reservation." />
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

function SelectField({ label, name, value, options, error }: { label: string; name: string; value: string; options: [string, string][]; error?: string }) {
  return (
    <Labelled label={label} error={error}>
      {(control) => (
        <select {...control} name={name} defaultValue={value} className={inputClass}>
          {options.map(([option, text]) => (
            <option key={option} value={option}>{text}</option>
          ))}
        </select>
      )}
    </Labelled>
  );
}
