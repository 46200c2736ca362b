import { clsx } from "clsx";
import type { ReactNode } from "react";

const tones = {
  green: "bg-emerald-50 text-emerald-700",
  red: "bg-red-50 text-red-700",
  amber: "bg-amber-50 text-amber-800",
  gray: "bg-zinc-100 text-zinc-700",
  brand: "bg-brand-50 text-brand-700",
} as const;

/** A small rounded status label (Enabled, Disabled, On, Off…). */
export function Badge({
  tone,
  className,
  children,
}: {
  tone: keyof typeof tones;
  className?: string;
  children: ReactNode;
}) {
  return (
    <span className={clsx("rounded-full px-2 py-0.5 text-xs font-medium", tones[tone], className)}>
      {children}
    </span>
  );
}
