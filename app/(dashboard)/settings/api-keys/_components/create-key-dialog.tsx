"use client";

import { useActionState, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClass } from "@/components/ui/field";
import { FocusFirstError } from "@/components/ui/focus-first-error";
import { FormAlert } from "@/components/ui/form-alert";
import { Labelled } from "@/components/ui/labelled";
import { createKeyAction, type CreateKeyState } from "../actions";
import { curlModel } from "@/lib/format/curl-example";
import { controlsFromValues } from "../controls-form";
import { ExpiryInput } from "./expiry-input";
import { DEFAULT_CONTROLS, KeyControlsFields } from "./key-controls-fields";
import { NameField } from "./name-field";
import { ShowOnce } from "./show-once";

export interface OwnerOption {
  id: string;
  name: string;
}

/**
 * Create, then show the key once. Closing the show-once step asks for confirmation, since
 * the key cannot be seen again, unless the key was copied. Mounted afresh for every create
 * (the parent keys it). onClose says which owner the key was created for, if one was.
 */
export function CreateKeyDialog({
  open,
  onClose,
  owners,
  defaultOwner,
  currency,
  baseUrl,
  enabledModels,
  returnFocusTo,
  atCap,
}: {
  open: boolean;
  onClose: (createdIn?: string) => void;
  owners: OwnerOption[];
  defaultOwner: string;
  currency: string;
  baseUrl: string;
  enabledModels: string[];
  returnFocusTo?: () => HTMLElement | null;
  /** The owners (ids) already holding their cap of active keys, and the cap: Create is disabled for them, saying why. */
  atCap?: { owners: string[]; max: number };
}) {
  const [state, action, pending] = useActionState<CreateKeyState, FormData>(createKeyAction, {});
  const [type, setType] = useState<"model_serving" | "management">("model_serving");
  const [owner, setOwner] = useState(defaultOwner);
  const [confirmingClose, setConfirmingClose] = useState(false);
  const [copied, setCopied] = useState(false);
  const created = state.created;
  const createdIn = type === "management" ? "personal" : owner;

  const finish = () => {
    if (created) {
      const where = owners.find((o) => o.id === createdIn);
      toast.success(
        createdIn === "personal"
          ? `Created "${created.name}".`
          : `Created "${created.name}" for ${where?.name ?? "the team"}.`,
      );
      onClose(createdIn);
    } else onClose();
  };
  // Once the key was copied there is nothing to lose by closing: no second question.
  const askOrClose = () => (copied ? finish() : setConfirmingClose(true));
  const requestClose = (next: boolean) => {
    if (next) return;
    if (created) askOrClose();
    else onClose();
  };

  if (created && confirmingClose) {
    return (
      <Dialog
        open={open}
        onOpenChange={(next) => !next && setConfirmingClose(false)}
        title="Close without the key?"
        returnFocusTo={returnFocusTo}
      >
        <p className="text-sm text-zinc-700">
          Have you copied the key <strong>{created.name}</strong>? Once you close this dialog it
          cannot be shown again.
        </p>
        <div className="mt-5 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <Button variant="secondary" onClick={() => setConfirmingClose(false)}>
            Back to the key
          </Button>
          <Button onClick={finish}>Yes, close</Button>
        </div>
      </Dialog>
    );
  }

  if (created) {
    return (
      <Dialog
        open={open}
        onOpenChange={requestClose}
        title="Save your API key"
        description={`"${created.name}" is ready to use.`}
        wide
        returnFocusTo={returnFocusTo}
      >
        <ShowOnce
          keyValue={created.key}
          type={type}
          baseUrl={baseUrl}
          model={curlModel(enabledModels)}
          onCopied={() => setCopied(true)}
          onDone={askOrClose}
        />
      </Dialog>
    );
  }

  const errors = state.fieldErrors ?? {};
  const management = type === "management";
  const full = atCap?.owners.includes(management ? "personal" : owner) ?? false;
  const capMessage = full
    ? `This account already has ${atCap?.max} active keys, the most it may hold. Revoke a key you no longer use, then create the new one.`
    : undefined;
  return (
    <Dialog
      open={open}
      onOpenChange={requestClose}
      title="Create API Key"
      description="Applications send it as a Bearer token."
      returnFocusTo={returnFocusTo}
    >
      <form action={action} noValidate className="space-y-4">
        {capMessage ? (
          <p
            id="key-cap-reason"
            className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
          >
            {capMessage}
          </p>
        ) : null}
        <FormAlert message={state.formError} />
        <FocusFirstError state={state} />
        <NameField
          autoFocus
          placeholder="e.g. CI pipeline"
          defaultValue={String(state.values?.name ?? "")}
          error={errors.name}
        />
        <Labelled label="Type" error={errors.type}>
          {(control) => (
            <select
              {...control}
              name="type"
              value={type}
              onChange={(e) => setType(e.target.value as typeof type)}
              className={inputClass}
            >
              <option value="model_serving">Model Serving</option>
              <option value="management">Management</option>
            </select>
          )}
        </Labelled>
        <Labelled
          label="Owner"
          error={errors.owner}
          hint={
            management
              ? "A Management key is always personal: it acts for you."
              : "A team key's spend is charged to the team."
          }
        >
          {(control) => (
            <select
              {...control}
              name="owner"
              value={management ? "personal" : owner}
              disabled={management}
              onChange={(e) => setOwner(e.target.value)}
              className={inputClass}
            >
              {owners.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          )}
        </Labelled>
        <Field
          label="Spending limit"
          name="spending_limit"
          inputMode="decimal"
          autoComplete="off"
          placeholder="e.g. 25.00"
          defaultValue={String(state.values?.spending_limit ?? "")}
          error={errors.spending_limit}
          hint={`Optional, in ${currency}. The key stops working when its spend reaches it.`}
        />
        <ExpiryInput
          defaultIso={null}
          error={errors.expires_at}
          hint="Optional. Leave empty for a key that does not expire."
        />
        {management ? null : (
          <KeyControlsFields
            initial={controlsFromValues(state.values) ?? DEFAULT_CONTROLS}
            models={enabledModels}
            errors={errors}
          />
        )}
        <div className="flex flex-col-reverse gap-2 pt-2 sm:flex-row sm:justify-end">
          <Button variant="secondary" onClick={() => onClose()}>
            Cancel
          </Button>
          <Button
            type="submit"
            disabled={pending || full}
            aria-describedby={full ? "key-cap-reason" : undefined}
          >
            {pending ? "Creating…" : "Create"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
