"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { clsx } from "clsx";
import { X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { usageHref, type UsageFilters } from "../usage-url";

const presets = [
  { value: "7", label: "7 days" },
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
] as const;

/** Owner, date range (presets or custom days) and the key filter; every change is a new URL. */
export function UsageFiltersBar({
  filters,
  owners,
  keyLabel,
}: {
  filters: UsageFilters;
  owners: { id: string; name: string }[];
  keyLabel: string | null;
}) {
  const router = useRouter();
  const [loading, startLoading] = useTransition();
  const [custom, setCustom] = useState(filters.range === null);
  const [from, setFrom] = useState(filters.from);
  const [to, setTo] = useState(filters.to);
  const go = (next: Partial<UsageFilters>) =>
    startLoading(() => router.push(usageHref({ ...filters, ...next })));

  return (
    <div className="space-y-3" aria-busy={loading}>
      <div className="flex flex-col gap-3 md:flex-row md:flex-wrap md:items-end">
        <label className="space-y-1 md:w-56">
          <span className="block text-xs font-medium text-zinc-600">Owner</span>
          <select
            value={filters.owner}
            onChange={(e) => go({ owner: e.target.value, key: null })}
            className={inputClass}
          >
            {owners.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="space-y-1">
          <legend className="mb-1 block text-xs font-medium text-zinc-600">Date range</legend>
          <div className="inline-flex flex-wrap rounded-md border border-zinc-300 bg-white p-0.5">
            {presets.map((preset) => {
              const active = !custom && filters.range === preset.value;
              return (
                <button
                  key={preset.value}
                  type="button"
                  aria-pressed={active}
                  onClick={() => {
                    setCustom(false);
                    go({ range: preset.value });
                  }}
                  className={clsx(
                    "rounded px-3 py-1.5 text-sm font-medium",
                    active ? "bg-brand-600 text-white" : "text-zinc-700 hover:bg-zinc-100",
                  )}
                >
                  {preset.label}
                </button>
              );
            })}
            <button
              type="button"
              aria-pressed={custom}
              onClick={() => {
                // Start from the range on screen, not the one shown when the page first loaded.
                setFrom(filters.from);
                setTo(filters.to);
                setCustom(true);
              }}
              className={clsx(
                "rounded px-3 py-1.5 text-sm font-medium",
                custom ? "bg-brand-600 text-white" : "text-zinc-700 hover:bg-zinc-100",
              )}
            >
              Custom
            </button>
          </div>
        </fieldset>
        {custom ? (
          <form
            className="flex flex-wrap items-end gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              go({ range: null, from, to });
            }}
          >
            <label className="space-y-1">
              <span className="block text-xs font-medium text-zinc-600">From</span>
              <input
                type="date"
                required
                value={from}
                max={to}
                onChange={(e) => setFrom(e.target.value)}
                className={inputClass}
              />
            </label>
            <label className="space-y-1">
              <span className="block text-xs font-medium text-zinc-600">To</span>
              <input
                type="date"
                required
                value={to}
                min={from}
                onChange={(e) => setTo(e.target.value)}
                className={inputClass}
              />
            </label>
            <Button type="submit" variant="secondary">
              Apply
            </Button>
          </form>
        ) : null}
      </div>
      {filters.key && keyLabel ? (
        <p className="inline-flex items-center gap-2 rounded-full bg-brand-50 py-1 pl-3 pr-1 text-sm text-brand-700">
          Key: <span className="font-medium">{keyLabel}</span>
          <Link
            href={usageHref({ ...filters, key: null })}
            aria-label="Show all keys"
            className="rounded-full p-1 hover:bg-brand-100"
          >
            <X aria-hidden className="h-3.5 w-3.5" />
          </Link>
        </p>
      ) : null}
    </div>
  );
}
