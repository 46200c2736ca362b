"use client";

import { clsx } from "clsx";
import { useState } from "react";
import { inputClass } from "@/components/ui/field";
import { Labelled } from "@/components/ui/labelled";

/** `2026-05-01T12:00:00.000Z` → the `2026-05-01T22:00` a datetime-local input shows in this browser's timezone. */
export function toLocalInputValue(iso: string | null): string {
  if (!iso) return "";
  const date = new Date(iso);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

const PRESET_DAYS = [7, 30, 90];

/** Called from click handlers only: the preset is measured from the moment it is chosen. */
function daysFromNow(days: number): string {
  return toLocalInputValue(new Date(Date.now() + days * 86_400_000).toISOString());
}

/**
 * A date-and-time picker in the user's timezone that submits an ISO 8601 instant as
 * `expires_at`: the server cannot know which timezone a bare "2026-05-01T12:00" meant.
 * Presets fill it with 7, 30 or 90 days from now; "Never" empties it; any other time is
 * typed or picked (custom).
 */
export function ExpiryInput({
  defaultIso,
  error,
  hint,
}: {
  defaultIso: string | null;
  error?: string;
  hint: string;
}) {
  const [local, setLocal] = useState(() => toLocalInputValue(defaultIso));
  const [preset, setPreset] = useState<number | "never" | "custom">(
    defaultIso ? "custom" : "never",
  );
  const parsed = local ? new Date(local) : null;
  const iso = parsed && !Number.isNaN(parsed.getTime()) ? parsed.toISOString() : local;
  const choose = (next: number | "never") => {
    setPreset(next);
    setLocal(next === "never" ? "" : daysFromNow(next));
  };
  const presetButton = (value: number | "never", label: string) => (
    <button
      key={String(value)}
      type="button"
      aria-pressed={preset === value}
      onClick={() => choose(value)}
      className={clsx(
        "rounded-md px-2.5 py-1 text-xs font-medium ring-1 ring-inset",
        preset === value
          ? "bg-brand-600 text-white ring-brand-600"
          : "bg-white text-zinc-700 ring-zinc-300 hover:bg-zinc-50",
      )}
    >
      {label}
    </button>
  );
  return (
    <Labelled label="Expiration" error={error} hint={hint}>
      {(control) => (
        <>
          <div role="group" aria-label="Expires in" className="flex flex-wrap gap-1.5">
            {presetButton("never", "Never")}
            {PRESET_DAYS.map((days) => presetButton(days, `${days} days`))}
            <span
              className={clsx(
                "self-center text-xs",
                preset === "custom" ? "font-medium text-zinc-800" : "text-zinc-500",
              )}
            >
              or pick a date (custom):
            </span>
          </div>
          <input
            {...control}
            type="datetime-local"
            value={local}
            onChange={(e) => {
              setLocal(e.target.value);
              setPreset(e.target.value ? "custom" : "never");
            }}
            className={inputClass}
          />
          <input type="hidden" name="expires_at" value={iso} />
        </>
      )}
    </Labelled>
  );
}
