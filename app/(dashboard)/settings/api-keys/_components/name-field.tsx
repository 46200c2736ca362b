"use client";

import { useState } from "react";
import { Field } from "@/components/ui/field";

/** The spec's limit on a key's name; the server says the same if it is passed. */
export const NAME_MAX = 64;

/** The key's Name, with how much of the limit is used shown as you type. */
export function NameField({
  defaultValue,
  error,
  autoFocus,
  placeholder,
}: {
  defaultValue: string;
  error?: string;
  autoFocus?: boolean;
  placeholder?: string;
}) {
  const [length, setLength] = useState(defaultValue.length);
  return (
    <Field
      label="Name"
      name="name"
      autoComplete="off"
      autoFocus={autoFocus}
      placeholder={placeholder}
      defaultValue={defaultValue}
      onChange={(event) => setLength(event.currentTarget.value.length)}
      error={error}
      hint={
        <span className={length > NAME_MAX ? "font-medium text-red-600" : undefined}>
          {length} / {NAME_MAX} characters
          {length > NAME_MAX ? ` (${length - NAME_MAX} too many)` : ""}
        </span>
      }
    />
  );
}
