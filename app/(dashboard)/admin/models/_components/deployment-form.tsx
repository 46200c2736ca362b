"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FocusFirstError } from "@/components/ui/focus-first-error";
import { useEditedErrors } from "@/components/ui/use-edited-errors";
import { FormAlert } from "@/components/ui/form-alert";
import type { FormState } from "@/lib/forms/form-state";
import type { DeploymentView } from "@/lib/models/deployment-schemas";
import type { ModelView } from "@/lib/models/schemas";
import { saveDeploymentAction } from "../deployment-actions";

/**
 * Add or edit one deployment of a model (PRODUCT.md "Routing": provider URL, credential,
 * weight, priority tier, its own requests/tokens per minute). Submitted by hand, not as a
 * form action, so what the admin typed stays when a field comes back with an error; the
 * credential is write-only (blank keeps the stored one).
 */
export function DeploymentForm({
  model,
  deployment,
  label,
  onSaved,
  onCancel,
}: {
  model: ModelView;
  deployment?: DeploymentView;
  /** The form's accessible name ("Add a deployment to …", "Edit deployment 2 of …"). */
  label: string;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const [state, setState] = useState<FormState>({});
  const [pending, startTransition] = useTransition();
  const { errors, onChange } = useEditedErrors(state);
  const value = (v: number | string | null | undefined) => (v == null ? "" : String(v));

  return (
    <form
      aria-label={label}
      noValidate
      onChange={onChange}
      className="space-y-2 rounded-lg border border-zinc-200 p-2"
      onSubmit={(event) => {
        event.preventDefault();
        const formData = new FormData(event.currentTarget);
        startTransition(async () => {
          const result = await saveDeploymentAction(model.id, deployment?.id ?? null, {}, formData);
          if (result.ok) onSaved();
          else setState(result);
        });
      }}
    >
      <FormAlert message={state.formError} />
      <FocusFirstError state={state} />
      <Field
        label="Base URL"
        name="base_url"
        required
        placeholder="http://vllm-2:8000/v1"
        defaultValue={value(deployment?.base_url)}
        error={errors.base_url}
      />
      <Field
        label="Upstream model"
        name="upstream_model"
        placeholder={model.name}
        defaultValue={
          deployment && deployment.upstream_model !== model.name ? deployment.upstream_model : ""
        }
        error={errors.upstream_model}
        hint="Blank: the model's own name."
      />
      <Field
        label="API key"
        name="api_key"
        type="password"
        autoComplete="new-password"
        error={errors.api_key}
        hint={
          deployment?.has_api_key
            ? "Leave blank to keep the stored credential."
            : "Stored encrypted, never shown again."
        }
      />
      {deployment?.has_api_key ? (
        <label className="flex items-center gap-2 text-sm text-zinc-700">
          <input
            type="checkbox"
            name="remove_api_key"
            className="h-4 w-4 rounded border-zinc-300"
          />
          Remove the stored API key
        </label>
      ) : null}
      <div className="grid grid-cols-2 gap-2">
        <Field
          label="Weight"
          name="weight"
          inputMode="numeric"
          placeholder="1"
          defaultValue={value(deployment?.weight)}
          error={errors.weight}
          hint="Share of traffic in its tier."
        />
        <Field
          label="Priority tier"
          name="priority"
          inputMode="numeric"
          placeholder="0"
          defaultValue={value(deployment?.priority)}
          error={errors.priority}
          hint="0 first; a later tier only when the earlier ones are unavailable."
        />
        <Field
          label="Requests per minute"
          name="requests_per_minute"
          inputMode="numeric"
          placeholder="no limit"
          defaultValue={value(deployment?.requests_per_minute)}
          error={errors.requests_per_minute}
        />
        <Field
          label="Tokens per minute"
          name="tokens_per_minute"
          inputMode="numeric"
          placeholder="no limit"
          defaultValue={value(deployment?.tokens_per_minute)}
          error={errors.tokens_per_minute}
        />
      </div>
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : deployment ? "Save deployment" : "Add deployment"}
        </Button>
        <Button type="button" variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
