"use client";

import { useActionState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FocusFirstError } from "@/components/ui/focus-first-error";
import { FormAlert } from "@/components/ui/form-alert";
import type { FormState } from "@/lib/forms/form-state";
import { createTeamAction } from "../actions";

export function CreateTeamForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(
    async (prev: FormState, formData: FormData) => {
      const result = await createTeamAction(prev, formData);
      if (result.ok)
        toast.success(`Created the team "${String(formData.get("name") ?? "").trim()}".`);
      return result;
    },
    {},
  );
  return (
    <form
      action={action}
      noValidate
      className="rounded-xl border border-zinc-200 bg-white p-4 sm:p-5"
    >
      <h2 className="mb-3 text-base font-semibold">Create a team</h2>
      <FormAlert message={state.formError} />
      <FocusFirstError state={state} />
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <Field
          label="Team name"
          name="name"
          autoComplete="off"
          placeholder="e.g. Research"
          className="sm:w-80"
          defaultValue={state.ok ? "" : String(state.values?.name ?? "")}
          error={state.fieldErrors?.name}
        />
        <Button type="submit" disabled={pending} className="sm:mt-7">
          {pending ? "Creating…" : "Create team"}
        </Button>
      </div>
    </form>
  );
}
