"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FocusFirstError } from "@/components/ui/focus-first-error";
import { FormAlert } from "@/components/ui/form-alert";
import type { FormState } from "@/lib/forms/form-state";
import { addCreditAction, setIncludedAction, setOverageAction } from "../actions";
import type { BalanceRow } from "../balance-row";
import { formatAmount } from "@/lib/format/money";

type Action = (prev: FormState, formData: FormData) => Promise<FormState>;

/**
 * One small form per setting, so that a mistake in one never loses what was typed in another;
 * each has its own heading and a button that says what it saves, and confirms in words.
 * The confirmation stays inside the dialog (which stays open), where a screen reader hears it.
 */
function SettingForm({
  action,
  owner,
  title,
  submit,
  children,
  done,
}: {
  action: Action;
  owner: string;
  title: string;
  submit: string;
  children: (state: FormState) => React.ReactNode;
  done: (formData: FormData) => void;
}) {
  const [state, formAction, pending] = useActionState(
    async (prev: FormState, formData: FormData) => {
      const result = await action(prev, formData);
      if (result.ok) done(formData);
      return result;
    },
    {},
  );
  return (
    <form action={formAction} className="space-y-3">
      <h3 className="text-sm font-semibold text-zinc-900">{title}</h3>
      <input type="hidden" name="owner" value={owner} />
      <FormAlert message={state.formError} />
      <FocusFirstError state={state} />
      {children(state)}
      <div className="flex justify-end">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : submit}
        </Button>
      </div>
    </form>
  );
}

export function ManageBalanceDialog({
  row,
  currency,
  onClose,
}: {
  row: BalanceRow | null;
  currency: string;
  onClose: () => void;
}) {
  const open = row !== null;
  const [saved, setSaved] = useState<string>();
  const amount = (formData: FormData, field: string) =>
    `${formatAmount(String(formData.get(field) ?? "0").trim() || "0")} ${currency}`;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) {
          setSaved(undefined);
          onClose();
        }
      }}
      title={row ? `Balance of ${row.name}` : "Balance"}
      description={
        row
          ? `${row.kind === "team" ? "Team" : row.email}. Spend draws included usage first, then prepaid credit, then overage.`
          : undefined
      }
      wide
    >
      {row ? (
        <div className="space-y-6">
          <p
            role="status"
            className={
              saved ? "rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800" : "sr-only"
            }
          >
            {saved ?? ""}
          </p>
          <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
            <div>
              <dt className="text-zinc-500">Included left</dt>
              <dd className="font-medium tabular-nums">
                {row.includedLeft} {currency}
              </dd>
            </div>
            <div>
              <dt className="text-zinc-500">Prepaid left</dt>
              <dd className="font-medium tabular-nums">
                {row.prepaidLeft} {currency}
              </dd>
            </div>
            <div>
              <dt className="text-zinc-500">Overage this month</dt>
              <dd className="font-medium tabular-nums">
                {row.overageThisMonth} {currency}
              </dd>
            </div>
            <div>
              <dt className="text-zinc-500">Overage</dt>
              <dd className="font-medium">{row.overageEnabled ? "On" : "Off"}</dd>
            </div>
          </dl>

          <section aria-label="Included usage" className="border-t border-zinc-200 pt-4">
            <SettingForm
              key={`inc-${row.ref}`}
              action={setIncludedAction}
              owner={row.ref}
              title="Included usage"
              submit="Save included usage"
              done={(formData) =>
                setSaved(
                  `Included monthly usage of ${row.name} is now ${amount(formData, "included_monthly")}.`,
                )
              }
            >
              {(state) => (
                <Field
                  label={`Included monthly usage (${currency})`}
                  name="included_monthly"
                  inputMode="decimal"
                  defaultValue={String(state.values?.included_monthly ?? row.includedMonthlyExact)}
                  error={state.fieldErrors?.included_monthly}
                  hint="Granted again on the 1st of each month (UTC); what is left does not carry over. 0 for none."
                />
              )}
            </SettingForm>
          </section>

          <section aria-label="Prepaid credit" className="border-t border-zinc-200 pt-4">
            <SettingForm
              key={`credit-${row.ref}`}
              action={addCreditAction}
              owner={row.ref}
              title="Prepaid credit"
              submit="Add credit"
              done={(formData) =>
                setSaved(`Added ${amount(formData, "amount")} of prepaid credit to ${row.name}.`)
              }
            >
              {(state) => (
                <div className="grid gap-3 sm:grid-cols-[10rem_1fr]">
                  <Field
                    label={`Credit to add (${currency})`}
                    name="amount"
                    inputMode="decimal"
                    placeholder="50.00"
                    defaultValue={state.ok ? "" : String(state.values?.amount ?? "")}
                    error={state.fieldErrors?.amount}
                  />
                  <Field
                    label="Note"
                    name="note"
                    placeholder="Invoice 1042"
                    maxLength={200}
                    defaultValue={state.ok ? "" : String(state.values?.note ?? "")}
                    error={state.fieldErrors?.note}
                    hint="Kept in the ledger with the credit."
                  />
                </div>
              )}
            </SettingForm>
          </section>

          <section aria-label="Overage" className="border-t border-zinc-200 pt-4">
            <SettingForm
              key={`over-${row.ref}`}
              action={setOverageAction}
              owner={row.ref}
              title="Overage"
              submit="Save overage"
              done={(formData) =>
                setSaved(
                  `Overage for ${row.name} is now ${formData.get("overage") === "on" ? "allowed" : "refused"}.`,
                )
              }
            >
              {() => (
                <fieldset className="space-y-2 text-sm">
                  <legend className="mb-1 font-medium text-zinc-800">
                    When included usage and prepaid credit are spent
                  </legend>
                  <label className="flex items-start gap-2">
                    <input
                      type="radio"
                      name="overage"
                      value="on"
                      defaultChecked={row.overageEnabled}
                      className="mt-0.5"
                    />
                    <span>Allow overage (keep serving; billed as overage)</span>
                  </label>
                  <label className="flex items-start gap-2">
                    <input
                      type="radio"
                      name="overage"
                      value="off"
                      defaultChecked={!row.overageEnabled}
                      className="mt-0.5"
                    />
                    <span>Refuse requests (402 insufficient_balance)</span>
                  </label>
                </fieldset>
              )}
            </SettingForm>
          </section>
        </div>
      ) : null}
    </Dialog>
  );
}
