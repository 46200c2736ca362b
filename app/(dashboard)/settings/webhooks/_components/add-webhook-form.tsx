"use client";

import { Check, Copy, TriangleAlert } from "lucide-react";
import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FocusFirstError } from "@/components/ui/focus-first-error";
import { FormAlert } from "@/components/ui/form-alert";
import { addWebhookAction, type AddWebhookState } from "../actions";

/** URL and an optional description; the signing secret is shown once, in a dialog, after adding. */
export function AddWebhookForm({ owner }: { owner: string }) {
  const [state, action, pending] = useActionState<AddWebhookState, FormData>(addWebhookAction, {});
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const errors = state.fieldErrors ?? {};
  const created = state.created && state.created.id !== dismissed ? state.created : null;
  return (
    <section
      aria-labelledby="add-webhook-heading"
      className="space-y-3 rounded-xl border border-zinc-200 bg-white p-4 sm:p-5"
    >
      <h2 id="add-webhook-heading" className="text-base font-semibold">
        Add a webhook
      </h2>
      <form
        action={action}
        noValidate
        className="grid gap-3 sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_auto] sm:items-start"
      >
        <input type="hidden" name="owner" value={owner} />
        <FormAlert message={state.formError} />
        <FocusFirstError state={state} />
        <Field
          label="URL"
          name="url"
          type="url"
          inputMode="url"
          autoComplete="off"
          placeholder="https://hooks.example.com/modelbridge"
          defaultValue={state.ok ? "" : String(state.values?.url ?? "")}
          key={state.created?.id ?? "form"}
          error={errors.url}
        />
        <Field
          label="Description"
          name="description"
          autoComplete="off"
          placeholder="Optional"
          defaultValue={state.ok ? "" : String(state.values?.description ?? "")}
          error={errors.description}
        />
        <Button type="submit" disabled={pending} className="sm:mt-6">
          {pending ? "Adding…" : "Add webhook"}
        </Button>
      </form>
      {created ? (
        <Dialog
          open
          onOpenChange={(open) => !open && setDismissed(created.id)}
          title="Save the signing secret"
          description={created.url}
          wide
        >
          <div className="space-y-4">
            <div
              role="note"
              className="flex gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
            >
              <TriangleAlert aria-hidden className="mt-0.5 h-4 w-4 shrink-0" />
              <p>
                <strong>Copy this secret now. It will not be shown again.</strong> Your receiver
                uses it to check the modelbridge-signature header.
              </p>
            </div>
            <div className="space-y-1.5">
              <label htmlFor="webhook-secret" className="block text-sm font-medium text-zinc-800">
                Signing secret
              </label>
              <div className="flex gap-2">
                <input
                  id="webhook-secret"
                  readOnly
                  value={created.secret}
                  onFocus={(e) => e.currentTarget.select()}
                  className="block w-full min-w-0 rounded-md border border-zinc-300 bg-zinc-50 px-3 py-2 font-mono text-sm"
                />
                <Button
                  variant="secondary"
                  onClick={async () => {
                    try {
                      await navigator.clipboard.writeText(created.secret);
                      setCopied(true);
                    } catch {
                      setCopied(false);
                    }
                  }}
                >
                  {copied ? (
                    <Check aria-hidden className="h-4 w-4 text-emerald-600" />
                  ) : (
                    <Copy aria-hidden className="h-4 w-4" />
                  )}
                  Copy
                </Button>
              </div>
            </div>
            <div className="flex justify-end">
              <Button onClick={() => setDismissed(created.id)}>Done</Button>
            </div>
          </div>
        </Dialog>
      ) : null}
    </section>
  );
}
