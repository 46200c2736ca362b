import type { InputHTMLAttributes, ReactNode } from "react";
import { Labelled } from "./labelled";

export const inputClass =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm text-zinc-900 shadow-xs placeholder:text-zinc-400 focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30 aria-[invalid=true]:border-red-500 aria-[invalid=true]:ring-red-500/20 disabled:bg-zinc-50 disabled:text-zinc-500";

/** A labelled text input with its error message right under it, linked for screen readers. */
export function Field({
  label,
  error,
  hint,
  className,
  ...inputProps
}: InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string; hint?: ReactNode }) {
  return (
    <Labelled label={label} error={error} hint={hint} className={className}>
      {(control) => <input {...control} className={inputClass} {...inputProps} />}
    </Labelled>
  );
}
