"use client";

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

/**
 * A date-and-time picker in the user's timezone that submits an ISO 8601 instant as
 * `expires_at`: the server cannot know which timezone a bare "2026-05-01T12:00" meant.
 */
export function ExpiryInput({ defaultIso, error, hint }: { defaultIso: string | null; error?: string; hint: string }) {
  const [local, setLocal] = useState(() => toLocalInputValue(defaultIso));
  const parsed = local ? new Date(local) : null;
  const iso = parsed && !Number.isNaN(parsed.getTime()) ? parsed.toISOString() : local;
  return (
    <Labelled label="Expiration" error={error} hint={hint}>
      {(control) => (
        <>
          <input {...control} type="datetime-local" value={local} onChange={(e) => setLocal(e.target.value)} className={inputClass} />
          <input type="hidden" name="expires_at" value={iso} />
        </>
      )}
    </Labelled>
  );
}
