"use client";

import { useCallback, useState, useTransition } from "react";
import { Plus } from "lucide-react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormAlert } from "@/components/ui/form-alert";
import { PROVIDERS } from "@/lib/core/providers";
import type { ModelView } from "@/lib/models/schemas";
import {
  createModelAction,
  setModelEnabledAction,
  testConnectionAction,
  updateModelAction,
} from "../actions";
import { DeploymentsList, type DeploymentStatsView } from "./deployments-list";
import { ModelForm } from "./model-form";

export function ModelsView({
  models,
  currency,
  stats = {},
}: {
  models: ModelView[];
  currency: string;
  stats?: Record<string, DeploymentStatsView>;
}) {
  const [editing, setEditing] = useState<ModelView | "new" | null>(null);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  const close = useCallback(() => setEditing(null), []);

  const toggle = (model: ModelView) =>
    startTransition(async () => {
      const result = await setModelEnabledAction(model.id, !model.enabled);
      setError(result.error);
      if (!result.error) toast.success(`${model.enabled ? "Disabled" : "Enabled"} ${model.name}.`);
    });

  const actions = (model: ModelView, extra?: string) => (
    <div className={`flex gap-2 ${extra ?? ""}`}>
      <Button
        variant="secondary"
        aria-label={`Edit ${model.name}`}
        onClick={() => setEditing(model)}
      >
        Edit
      </Button>
      <Button
        variant="secondary"
        disabled={pending}
        aria-label={`${model.enabled ? "Disable" : "Enable"} ${model.name}`}
        onClick={() => toggle(model)}
      >
        {model.enabled ? "Disable" : "Enable"}
      </Button>
    </div>
  );
  const status = (model: ModelView) =>
    model.enabled ? <Badge tone="green">Enabled</Badge> : <Badge tone="gray">Disabled</Badge>;
  const upstream = (model: ModelView) => <DeploymentsList model={model} stats={stats} />;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-zinc-600">
          Models your users can call through <code className="font-mono">/v1</code>, with their
          prices per 1M tokens.
        </p>
        <Button onClick={() => setEditing("new")}>
          <Plus aria-hidden className="h-4 w-4" />
          Register model
        </Button>
      </div>
      <FormAlert message={error} />
      <div className="relative hidden overflow-x-auto rounded-xl border border-zinc-200 bg-white md:block">
        <table className="min-w-full text-sm">
          <thead className="whitespace-nowrap bg-zinc-50 text-left text-xs font-semibold text-zinc-600">
            <tr>
              <th scope="col" className="px-4 py-3">
                Model
              </th>
              <th scope="col" className="px-4 py-3">
                Deployments
              </th>
              <th scope="col" className="px-4 py-3 text-right">
                Input / 1M
              </th>
              <th scope="col" className="px-4 py-3 text-right">
                Output / 1M
              </th>
              <th scope="col" className="px-4 py-3 text-right">
                Max output
              </th>
              <th scope="col" className="px-4 py-3">
                Status
              </th>
              <th scope="col" className="px-4 py-3">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {models.map((model) => (
              <tr key={model.id}>
                <td className="px-4 py-3 font-medium text-zinc-900">
                  {model.name}
                  <span className="block text-xs font-normal text-zinc-500">{serves(model)}</span>
                </td>
                <td className="w-96 max-w-md px-4 py-3 text-zinc-600">{upstream(model)}</td>
                <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">
                  {model.input_price_per_million} {currency}
                </td>
                <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">
                  {model.output_price_per_million} {currency}
                </td>
                <td className="px-4 py-3 text-right tabular-nums">
                  {model.max_output_tokens?.toLocaleString("en-US") ?? "none"}
                </td>
                <td className="px-4 py-3">{status(model)}</td>
                <td className="whitespace-nowrap px-4 py-3">{actions(model, "justify-end")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {/* On a phone each model is a card: seven columns do not fit in 360 px. */}
      <ul aria-label="Models" className="space-y-3 md:hidden">
        {models.map((model) => (
          <li key={model.id} className="rounded-xl border border-zinc-200 bg-white p-4 text-sm">
            <div className="flex items-start justify-between gap-3">
              <p className="min-w-0 break-words font-medium text-zinc-900">
                {model.name}
                <span className="block text-xs font-normal text-zinc-500">{serves(model)}</span>
              </p>
              {status(model)}
            </div>
            <div className="mt-1 min-w-0 text-zinc-600">{upstream(model)}</div>
            <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-xs">
              <dt className="text-zinc-500">Input / 1M</dt>
              <dd className="tabular-nums">
                {model.input_price_per_million} {currency}
              </dd>
              <dt className="text-zinc-500">Output / 1M</dt>
              <dd className="tabular-nums">
                {model.output_price_per_million} {currency}
              </dd>
              <dt className="text-zinc-500">Max output</dt>
              <dd className="tabular-nums">
                {model.max_output_tokens === null
                  ? "none"
                  : `${model.max_output_tokens.toLocaleString("en-US")} tokens`}
              </dd>
            </dl>
            {actions(model, "mt-3 border-t border-zinc-100 pt-3")}
          </li>
        ))}
      </ul>
      <Dialog
        open={editing !== null}
        onOpenChange={(open) => !open && close()}
        title={editing === "new" ? "Register a model" : `Edit ${editing?.name ?? ""}`}
        description={
          editing === "new"
            ? "Point ModelBridge at any OpenAI-compatible server: vLLM, TGI, Ollama, NIM or OpenAI itself."
            : undefined
        }
        wide
      >
        {editing === "new" ? (
          <ModelForm
            currency={currency}
            action={createModelAction}
            testConnection={(formData) => testConnectionAction(null, formData)}
            onSaved={(name) => {
              toast.success(`Registered ${name}.`);
              close();
            }}
            onCancel={close}
          />
        ) : editing ? (
          <ModelForm
            key={editing.id}
            model={editing}
            currency={currency}
            action={updateModelAction.bind(null, editing.id)}
            testConnection={(formData) => testConnectionAction(editing.id, formData)}
            onSaved={(name) => {
              toast.success(`Saved ${name || editing.name}.`);
              close();
            }}
            onCancel={close}
          />
        ) : null}
      </Dialog>
    </div>
  );
}

/** What the model is and speaks, in a few words under its name. */
function serves(model: ModelView): string {
  const kind = model.kind === "embedding" ? "Embedding" : "Chat";
  const provider = PROVIDERS[model.provider].short;
  const fallbacks = model.fallbacks.length ? ` · falls back to ${model.fallbacks.join(", ")}` : "";
  return `${kind} · ${provider}${model.native_responses ? " · native Responses" : ""}${fallbacks}`;
}
