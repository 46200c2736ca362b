"use client";

import { useActionState } from "react";
import {
  saveInstanceCaptureAction,
  saveKeyCaptureAction,
  saveTeamCaptureAction,
} from "./payload-capture-actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FocusFirstError } from "@/components/ui/focus-first-error";
import { FormAlert } from "@/components/ui/form-alert";
import { RadioGroup } from "@/components/ui/radio-group";
import type { FormState } from "@/lib/forms/form-state";
import type { CaptureChoice } from "@/lib/requests/capture-form";

type Level = "instance" | "key" | "team";

const ACTIONS = {
  instance: saveInstanceCaptureAction,
  key: saveKeyCaptureAction,
  team: saveTeamCaptureAction,
} as const;

const INHERITS: Record<Exclude<Level, "instance">, string> = {
  key: "Follows the key's team, or else the instance (Admin → Settings).",
  team: "Follows the instance (Admin → Settings).",
};

function options(level: Level) {
  const onOff = [
    {
      value: "on",
      label: "On",
      hint: "Request and response bodies are stored (capped, secrets in headers never) and shown on each request's detail.",
    },
    {
      value: "off",
      label: "Off",
      hint:
        level === "instance"
          ? "Nothing is stored unless a key or team has it on."
          : "Never captured, even when the level above has it on.",
    },
  ];
  return level === "instance"
    ? onOff
    : [{ value: "inherit", label: "Inherit", hint: INHERITS[level] }, ...onOff];
}

/**
 * "Payload capture" for one level (the instance, a key or a team), for platform admins: a
 * choice and a sampling rate in percent. Other people never get this component.
 */
export function PayloadCaptureForm({
  level,
  id,
  saved,
}: {
  level: Level;
  /** The key's or team's id. */
  id?: string;
  saved: { capture: CaptureChoice; samplePercent: string };
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(ACTIONS[level], {});
  const failed = state.values && !state.ok;
  const capture = failed ? String(state.values?.capture ?? "") : saved.capture;
  const percent = failed ? String(state.values?.sample_percent ?? "") : saved.samplePercent;
  return (
    <form action={action} noValidate className="space-y-4">
      <FormAlert message={state.formError} />
      <FocusFirstError state={state} />
      {id ? <input type="hidden" name="id" value={id} /> : null}
      <fieldset className="space-y-4">
        <legend className="text-sm font-medium text-zinc-800">Payload capture</legend>
        <RadioGroup
          key={`capture-${capture}`}
          legend="Capture request and response bodies"
          name="capture"
          options={options(level)}
          value={capture}
          error={state.fieldErrors?.capture}
        />
        <Field
          key={`percent-${percent}`}
          label="Sample rate (% of requests)"
          name="sample_percent"
          inputMode="decimal"
          className="sm:w-64"
          defaultValue={percent}
          hint="100 captures every request; 10 about one in ten. Used when capture is on."
          error={state.fieldErrors?.sample_percent}
        />
      </fieldset>
      <div className="flex items-center gap-3">
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? "Saving…" : "Save payload capture"}
        </Button>
        {state.ok ? (
          <p role="status" className="text-sm text-emerald-700">
            Payload capture saved.
          </p>
        ) : null}
      </div>
    </form>
  );
}
