"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FocusFirstError } from "@/components/ui/focus-first-error";
import { FormAlert } from "@/components/ui/form-alert";
import type { FormState } from "@/lib/forms/form-state";
import { updateKeyAction } from "../actions";
import type { KeyRow } from "../key-row";
import { controlsFromValues } from "../controls-form";
import { ExpiryInput } from "./expiry-input";
import { KeyControlsFields } from "./key-controls-fields";
import { NameField } from "./name-field";

/** Name, spending limit, expiry and the limits & access controls of one key. Emptying a field removes it. */
export function EditKeyDialog({
  row,
  currency,
  enabledModels,
  onClose,
  returnFocusTo,
}: {
  row: KeyRow;
  currency: string;
  enabledModels: string[];
  onClose: () => void;
  returnFocusTo?: () => HTMLElement | null;
}) {
  const [state, setState] = useState<FormState>({});
  const [pending, startTransition] = useTransition();
  const errors = state.fieldErrors ?? {};

  const submit = (formData: FormData) =>
    startTransition(async () => {
      const result = await updateKeyAction({}, formData);
      if (result.ok) {
        toast.success(`Saved the changes to "${String(formData.get("name") ?? row.name).trim()}".`);
        onClose();
      } else setState(result);
    });

  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title="Edit API key"
      description={<code className="font-mono">{row.display}</code>}
      returnFocusTo={returnFocusTo}
    >
      <form
        noValidate
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          submit(new FormData(event.currentTarget));
        }}
      >
        <FormAlert message={state.formError} />
        <FocusFirstError state={state} />
        <input type="hidden" name="id" value={row.id} />
        <input type="hidden" name="expires_at_original" value={row.expiresAt ?? ""} />
        <NameField defaultValue={row.name} error={errors.name} />
        <Field
          label="Spending limit"
          name="spending_limit"
          inputMode="decimal"
          autoComplete="off"
          defaultValue={row.spendingLimitExact ?? ""}
          error={errors.spending_limit}
          hint={`In ${currency}; spent so far ${row.spend}${row.budgetPeriod === "none" ? "" : " this period"}. Leave empty for no limit. Raising it above the spend re-activates a key that reached its limit.`}
        />
        <ExpiryInput
          defaultIso={row.expiresAt}
          error={errors.expires_at}
          hint="Leave empty for a key that does not expire."
        />
        {row.type === "management" ? null : (
          <KeyControlsFields
            initial={controlsFromValues(state.values) ?? row}
            models={enabledModels}
            errors={errors}
          />
        )}
        <div className="flex flex-col-reverse gap-2 pt-2 sm:flex-row sm:justify-end">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : "Save"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
