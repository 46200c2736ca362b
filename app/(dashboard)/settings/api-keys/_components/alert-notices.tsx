"use client";

import { BellRing, X } from "lucide-react";
import { useState, useTransition } from "react";
import { TimeText } from "@/components/ui/time-text";
import { dismissAlertsAction } from "../actions";

export interface NoticeRow {
  id: string;
  keyName: string;
  keyDisplay: string;
  threshold: number;
  spend: string;
  spendingLimit: string;
  firedAt: string;
}

/** Spending alerts on this owner's keys, the same ones the webhooks received, until dismissed. */
export function AlertNotices({ notices, currency }: { notices: NoticeRow[]; currency: string }) {
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [, startTransition] = useTransition();
  const shown = notices.filter((n) => !hidden.has(n.id));
  if (shown.length === 0) return null;
  const dismiss = (ids: string[]) => {
    setHidden((prev) => new Set([...prev, ...ids]));
    startTransition(async () => {
      await dismissAlertsAction(ids);
    });
  };
  return (
    <section
      aria-label="Spending alerts"
      className="rounded-xl border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900"
    >
      <div className="flex items-center gap-2">
        <BellRing aria-hidden className="h-4 w-4 shrink-0" />
        <h2 className="font-medium">Spending alerts</h2>
        <button
          type="button"
          onClick={() => dismiss(shown.map((n) => n.id))}
          className="ml-auto rounded px-2 py-0.5 text-xs font-medium hover:bg-amber-100"
        >
          Dismiss all
        </button>
      </div>
      <ul className="mt-2 space-y-1">
        {shown.slice(0, 5).map((n) => (
          <li key={n.id} className="flex items-start gap-2">
            <span className="min-w-0 flex-1">
              <strong className="break-words">{n.keyName}</strong>{" "}
              <code className="font-mono text-xs">{n.keyDisplay}</code> reached {n.threshold}% of
              its limit ({n.spend} / {n.spendingLimit} {currency}), <TimeText value={n.firedAt} />.
            </span>
            <button
              type="button"
              aria-label={`Dismiss the alert for ${n.keyName}`}
              onClick={() => dismiss([n.id])}
              className="rounded p-0.5 hover:bg-amber-100"
            >
              <X aria-hidden className="h-3.5 w-3.5" />
            </button>
          </li>
        ))}
      </ul>
      {shown.length > 5 ? <p className="mt-1 text-xs">and {shown.length - 5} more.</p> : null}
    </section>
  );
}
