"use client";

import { useCallback, useState, useTransition } from "react";
import { Plus } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormAlert } from "@/components/ui/form-alert";
import type { ModelView } from "@/lib/models/schemas";
import { createModelAction, setModelEnabledAction, updateModelAction } from "../actions";
import { ModelForm } from "./model-form";
import { Badge } from "@/components/ui/badge";

export function ModelsView({ models, currency }: { models: ModelView[]; currency: string }) {
  const [editing, setEditing] = useState<ModelView | "new" | null>(null);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  const close = useCallback(() => setEditing(null), []);

  const toggle = (model: ModelView) =>
    startTransition(async () => setError((await setModelEnabledAction(model.id, !model.enabled)).error));

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-zinc-600">Models your users can call through <code className="font-mono">/v1</code>, with their prices per 1M tokens.</p>
        <Button onClick={() => setEditing("new")}><Plus aria-hidden className="h-4 w-4" />Register model</Button>
      </div>
      <FormAlert message={error} />
      <div className="relative overflow-x-auto rounded-xl border border-zinc-200 bg-white">
        <table className="min-w-full text-sm">
          <thead className="bg-zinc-50 text-left text-xs font-medium uppercase tracking-wide text-zinc-500">
            <tr>
              <th scope="col" className="px-4 py-3">Model</th>
              <th scope="col" className="px-4 py-3">Upstream</th>
              <th scope="col" className="px-4 py-3 text-right">Input / 1M</th>
              <th scope="col" className="px-4 py-3 text-right">Output / 1M</th>
              <th scope="col" className="px-4 py-3 text-right">Max output</th>
              <th scope="col" className="px-4 py-3">Status</th>
              <th scope="col" className="px-4 py-3"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {models.map((model) => (
              <tr key={model.id}>
                <td className="px-4 py-3 font-medium text-zinc-900">
                  {model.name}
                  <span className="block text-xs font-normal text-zinc-500">
                    {model.kind === "embedding" ? "Embedding" : "Chat"} · {model.provider === "anthropic" ? "Anthropic" : "OpenAI-compatible"}
                    {model.native_responses ? " · native Responses" : ""}
                  </span>
                </td>
                <td className="max-w-xs px-4 py-3 text-zinc-600">
                  {model.builtin ? (
                    <span>Built-in demo model (answers in-process)</span>
                  ) : (
                    <>
                      <span className="block truncate font-mono text-xs">{model.base_url}</span>
                      <span className="block truncate text-xs">
                        {model.upstream_model}{model.has_api_key ? " · credential set" : " · no credential"}
                      </span>
                    </>
                  )}
                </td>
                <td className="px-4 py-3 text-right tabular-nums">{model.input_price_per_million} {currency}</td>
                <td className="px-4 py-3 text-right tabular-nums">{model.output_price_per_million} {currency}</td>
                <td className="px-4 py-3 text-right tabular-nums">{model.max_output_tokens.toLocaleString()}</td>
                <td className="px-4 py-3">
                  {model.enabled ? (
                    <Badge tone="green">Enabled</Badge>
                  ) : (
                    <Badge tone="gray">Disabled</Badge>
                  )}
                </td>
                <td className="whitespace-nowrap px-4 py-3">
                  <div className="flex justify-end gap-2">
                    <Button variant="secondary" aria-label={`Edit ${model.name}`} onClick={() => setEditing(model)}>Edit</Button>
                    <Button variant="secondary" disabled={pending} aria-label={`${model.enabled ? "Disable" : "Enable"} ${model.name}`} onClick={() => toggle(model)}>
                      {model.enabled ? "Disable" : "Enable"}
                    </Button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Dialog
        open={editing !== null}
        onOpenChange={(open) => !open && close()}
        title={editing === "new" ? "Register a model" : `Edit ${editing?.name ?? ""}`}
        description={editing === "new" ? "Point ModelBridge at any OpenAI-compatible server: vLLM, TGI, Ollama, NIM or OpenAI itself." : undefined}
        wide
      >
        {editing === "new" ? (
          <ModelForm currency={currency} action={createModelAction} onDone={close} />
        ) : editing ? (
          <ModelForm key={editing.id} model={editing} currency={currency} action={updateModelAction.bind(null, editing.id)} onDone={close} />
        ) : null}
      </Dialog>
    </div>
  );
}
