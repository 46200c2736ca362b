"use client";

import { useState, useTransition } from "react";
import { CheckCircle2, KeyRound, PlugZap, XCircle } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { Labelled } from "@/components/ui/labelled";
import { FocusFirstError } from "@/components/ui/focus-first-error";
import { useEditedErrors } from "@/components/ui/use-edited-errors";
import { FormAlert } from "@/components/ui/form-alert";
import type { FormState } from "@/lib/forms/form-state";
import { DEFAULT_PROVIDER, PROVIDER_IDS, PROVIDERS } from "@/lib/core/providers";
import type { ModelView } from "@/lib/models/schemas";
import type { ConnectionTest } from "@/lib/models/test-connection";

/** The fields "Test connection" reads. */
const CONNECTION_FIELDS = ["base_url", "upstream_model", "provider", "api_key", "remove_api_key"];

/**
 * Register or edit a model. The credential is write-only: the form never shows a stored one,
 * but it says whether one is set, and keeps what the admin typed when the server refuses
 * the form (submitted by hand rather than as a form action, which would empty the fields).
 */
export function ModelForm({
  model,
  currency,
  action,
  testConnection,
  onSaved,
  onCancel,
}: {
  model?: ModelView;
  currency: string;
  action: (prev: FormState, formData: FormData) => Promise<FormState>;
  testConnection: (formData: FormData) => Promise<ConnectionTest>;
  onSaved: (name: string) => void;
  onCancel: () => void;
}) {
  const [state, setState] = useState<FormState>({});
  const [pending, startTransition] = useTransition();
  const [testing, startTesting] = useTransition();
  const [test, setTest] = useState<ConnectionTest | null>(null);
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const { errors, onChange } = useEditedErrors(state);
  const builtin = model?.builtin ?? false;
  const initial = (field: keyof ModelView & string, fallback = "") =>
    String((model?.[field] as string | number | null | undefined) ?? fallback);

  const submit = (formData: FormData) =>
    startTransition(async () => {
      const result = await action({}, formData);
      if (result.ok) onSaved(String(formData.get("name") ?? model?.name ?? ""));
      else setState(result);
    });

  return (
    <form
      ref={setForm}
      className="space-y-4"
      noValidate
      onChange={(event) => {
        onChange(event);
        // A connection test of what the fields held before says nothing about what they hold now.
        const name = (event.target as Partial<HTMLInputElement>).name ?? "";
        if (test && CONNECTION_FIELDS.includes(name)) setTest(null);
      }}
      onSubmit={(event) => {
        event.preventDefault();
        submit(new FormData(event.currentTarget));
      }}
    >
      <FormAlert message={state.formError} />
      <FocusFirstError state={state} />
      <Field
        label="Name"
        name="name"
        required
        disabled={builtin}
        defaultValue={initial("name")}
        error={errors.name}
        hint={
          <>
            What clients send as <code>model</code>, e.g. <code>qwen2.5-7b-instruct</code>.
          </>
        }
      />
      {builtin ? null : (
        <>
          <Field
            label="Base URL"
            name="base_url"
            type="url"
            required
            placeholder="http://vllm.internal:8000/v1"
            defaultValue={initial("base_url")}
            error={errors.base_url}
            hint="OpenAI-compatible: the server's /v1 URL (/chat/completions is appended). Anthropic: https://api.anthropic.com (/v1/messages is appended). Gemini: https://generativelanguage.googleapis.com (/v1beta/models/… is appended)."
          />
          <Field
            label="Upstream model"
            name="upstream_model"
            defaultValue={model && model.upstream_model !== model.name ? model.upstream_model : ""}
            error={errors.upstream_model}
            hint="The name the upstream knows it by, if different."
          />
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField
              label="Provider"
              name="provider"
              value={initial("provider", DEFAULT_PROVIDER)}
              error={errors.provider}
              options={PROVIDER_IDS.map((id) => [id, PROVIDERS[id].label])}
            />
            <SelectField
              label="Kind"
              name="kind"
              value={initial("kind", "chat")}
              error={errors.kind}
              options={[
                ["chat", "Chat (chat, responses, completions)"],
                ["embedding", "Embedding (/v1/embeddings)"],
              ]}
            />
          </div>
          <input type="hidden" name="has_native_responses_field" value="1" />
          <label className="flex items-center gap-2 text-sm text-zinc-700">
            <input
              type="checkbox"
              name="native_responses"
              defaultChecked={model?.native_responses ?? false}
              className="h-4 w-4 rounded border-zinc-300"
            />
            Serves the Responses API itself (pass /v1/responses through; otherwise it is translated
            onto chat completions)
          </label>
          <CredentialState model={model} />
          <Field
            label="API key"
            name="api_key"
            type="password"
            autoComplete="new-password"
            error={errors.api_key}
            hint={
              model?.has_api_key
                ? "Leave blank to keep the stored credential; type a new one to replace it."
                : "Sent upstream as a Bearer token (Anthropic: as x-api-key); stored encrypted, never shown again."
            }
          />
          {model?.has_api_key ? (
            <label className="flex items-center gap-2 text-sm text-zinc-700">
              <input
                type="checkbox"
                name="remove_api_key"
                className="h-4 w-4 rounded border-zinc-300"
              />{" "}
              Remove the stored API key
            </label>
          ) : null}
        </>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label={`Input price per 1M tokens (${currency})`}
          name="input_price_per_million"
          inputMode="decimal"
          required
          defaultValue={initial("input_price_per_million")}
          error={errors.input_price_per_million}
        />
        <Field
          label={`Output price per 1M tokens (${currency})`}
          name="output_price_per_million"
          inputMode="decimal"
          required
          defaultValue={initial("output_price_per_million")}
          error={errors.output_price_per_million}
        />
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label={`Price of cached input per 1M tokens (${currency})`}
          name="cached_input_price_per_million"
          inputMode="decimal"
          defaultValue={initial("cached_input_price_per_million")}
          error={errors.cached_input_price_per_million}
          hint="Input tokens read from the upstream's prompt cache. Blank: the input price."
        />
        <Field
          label={`Cache write price per 1M tokens (${currency})`}
          name="cache_write_price_per_million"
          inputMode="decimal"
          defaultValue={initial("cache_write_price_per_million")}
          error={errors.cache_write_price_per_million}
          hint="Input tokens written to the prompt cache (Anthropic's cache_creation_input_tokens). Blank: the input price."
        />
      </div>
      <Field
        label="Max output tokens"
        name="max_output_tokens"
        type="number"
        min={1}
        defaultValue={initial("max_output_tokens", "")}
        error={errors.max_output_tokens}
        hint="Caps max_tokens and sizes the spending-limit reservation. Blank: no cap of the model's own."
      />
      {builtin ? null : <RoutingFields model={model} errors={errors} />}
      {model ? null : (
        <label className="flex items-center gap-2 text-sm text-zinc-700">
          <input
            type="checkbox"
            name="enabled"
            defaultChecked
            className="h-4 w-4 rounded border-zinc-300"
          />{" "}
          Enabled
        </label>
      )}
      <p role="status" className="min-h-5 text-sm">
        {test ? (
          <span
            className={
              test.ok
                ? "inline-flex items-start gap-1.5 text-emerald-700"
                : "inline-flex items-start gap-1.5 text-red-700"
            }
          >
            {test.ok ? (
              <CheckCircle2 aria-hidden className="mt-0.5 h-4 w-4 shrink-0" />
            ) : (
              <XCircle aria-hidden className="mt-0.5 h-4 w-4 shrink-0" />
            )}
            {test.message}
          </span>
        ) : null}
      </p>
      <div className="flex flex-col-reverse gap-2 pt-1 sm:flex-row sm:items-center sm:justify-between">
        {builtin ? (
          <span />
        ) : (
          <Button
            variant="secondary"
            disabled={testing}
            onClick={() =>
              form && startTesting(async () => setTest(await testConnection(new FormData(form))))
            }
          >
            <PlugZap aria-hidden className="h-4 w-4" />
            {testing ? "Testing…" : "Test connection"}
          </Button>
        )}
        <div className="flex flex-col-reverse gap-2 sm:flex-row">
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : model ? "Save" : "Register model"}
          </Button>
        </div>
      </div>
    </form>
  );
}

function SelectField({
  label,
  name,
  value,
  options,
  error,
  hint,
}: {
  label: string;
  name: string;
  value: string;
  options: [string, string][];
  error?: string;
  hint?: string;
}) {
  return (
    <Labelled label={label} error={error} hint={hint}>
      {(control) => (
        <select {...control} name={name} defaultValue={value} className={inputClass}>
          {options.map(([option, text]) => (
            <option key={option} value={option}>
              {text}
            </option>
          ))}
        </select>
      )}
    </Labelled>
  );
}

/** Whether a credential is stored: the one thing about it the dashboard may say. */
function CredentialState({ model }: { model?: ModelView }) {
  if (!model) return null;
  return (
    <p className="flex items-center gap-2 rounded-md bg-zinc-50 px-3 py-2 text-sm text-zinc-700">
      <KeyRound aria-hidden className="h-4 w-4 text-zinc-500" />
      {model.has_api_key
        ? "Credential set (stored encrypted)."
        : "No credential stored: requests go upstream without one."}
    </p>
  );
}

/**
 * The model's routing settings (PRODUCT.md "Routing"): fallbacks, context window, how a
 * deployment is chosen, how many attempts, and the one deadline for a whole request.
 */
function RoutingFields({ model, errors }: { model?: ModelView; errors: Record<string, string> }) {
  return (
    <fieldset className="space-y-4 rounded-lg border border-zinc-200 p-3">
      <legend className="px-1 text-sm font-medium text-zinc-800">Routing</legend>
      <input type="hidden" name="has_routing_fields" value="1" />
      <Field
        label="Fallbacks"
        name="fallbacks"
        defaultValue={model?.fallbacks.join(", ") ?? ""}
        error={errors.fallbacks}
        hint="Other models of the same kind, tried in order once this one's deployments are exhausted (at most 5, separated by commas)."
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          label="Strategy"
          name="routing_strategy"
          value={model?.routing.strategy ?? "weighted"}
          error={errors.routing_strategy}
          hint="Within a tier: by weight, fewest requests in flight, or quickest first token."
          options={[
            ["weighted", "Weighted"],
            ["least_busy", "Least busy"],
            ["lowest_latency", "Lowest latency"],
          ]}
        />
        <Field
          label="Context window (tokens)"
          name="context_window"
          inputMode="numeric"
          defaultValue={model?.context_window ?? ""}
          error={errors.context_window}
          hint="After a context-length refusal, only fallbacks with a larger one are tried."
        />
        <Field
          label="Attempts before fallbacks"
          name="routing_max_attempts"
          inputMode="numeric"
          placeholder="3"
          defaultValue={model?.routing.max_attempts ?? ""}
          error={errors.routing_max_attempts}
        />
        <Field
          label="Deadline (ms)"
          name="routing_timeout_ms"
          inputMode="numeric"
          placeholder="none"
          defaultValue={model?.routing.timeout_ms ?? ""}
          error={errors.routing_timeout_ms}
          hint="One deadline for the whole request, every attempt included. Blank: none."
        />
      </div>
    </fieldset>
  );
}
