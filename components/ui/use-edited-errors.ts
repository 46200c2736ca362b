"use client";

import { useState, type FormEvent } from "react";
import type { FormState } from "@/lib/forms/form-state";

/**
 * A form's field errors, each dropped as soon as its field is edited: once the person has
 * changed the Base URL, the error about the old one no longer describes what the field
 * holds (it used to stay until the next submit came back). The submitted state itself is
 * left alone, so FocusFirstError does not jump to another field while someone types.
 * Put `onChange` on the <form>; change events bubble from every control.
 */
export function useEditedErrors(state: FormState) {
  const [edited, setEdited] = useState<{ state: FormState; names: string[] }>({
    state,
    names: [],
  });
  const names = edited.state === state ? edited.names : [];
  const errors = Object.fromEntries(
    Object.entries(state.fieldErrors ?? {}).filter(([name]) => !names.includes(name)),
  );
  const onChange = (event: FormEvent<HTMLFormElement>) => {
    const name = (event.target as Partial<HTMLInputElement>).name;
    if (name && state.fieldErrors?.[name] && !names.includes(name))
      setEdited({ state, names: [...names, name] });
  };
  return { errors, onChange };
}
