import { useId, type ReactNode } from "react";

export interface RadioOption {
  value: string;
  label: string;
  hint?: string;
}

/**
 * A fieldset of radios with its legend, an optional note, and its error right under the
 * options, linked to every radio for screen readers. The group (a radiogroup, which may be
 * `aria-invalid`; a radio may not) is marked invalid, so that FocusFirstError focuses its
 * chosen or first radio after a failed submit.
 */
export function RadioGroup({
  legend,
  name,
  options,
  value,
  error,
  note,
  disabled,
}: {
  legend: string;
  name: string;
  options: readonly RadioOption[];
  value: string | undefined;
  error?: string;
  note?: ReactNode;
  disabled?: boolean;
}) {
  const id = useId();
  const describedBy = [note ? `${id}-note` : null, error ? `${id}-error` : null]
    .filter(Boolean)
    .join(" ");
  return (
    <fieldset
      role="radiogroup"
      aria-labelledby={`${id}-legend`}
      aria-invalid={error ? true : undefined}
      aria-describedby={describedBy || undefined}
      className="space-y-2"
    >
      <legend id={`${id}-legend`} className="text-sm font-medium text-zinc-800">
        {legend}
      </legend>
      {note ? (
        <div id={`${id}-note`} className="text-sm">
          {note}
        </div>
      ) : null}
      {options.map((option) => (
        <label key={option.value} className="flex items-start gap-2 text-sm">
          <input
            type="radio"
            name={name}
            value={option.value}
            defaultChecked={value === option.value}
            disabled={disabled}
            aria-describedby={error ? `${id}-error` : undefined}
            className="mt-1"
          />
          <span>
            <span className="font-medium">{option.label}</span>
            {option.hint ? (
              <span className="block text-xs text-zinc-500">{option.hint}</span>
            ) : null}
          </span>
        </label>
      ))}
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
