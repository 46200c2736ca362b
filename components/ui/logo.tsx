/** The mark and the name; `compact`: the mark only (the phone header), the name for screen readers. */
export function Logo({
  className = "",
  compact = false,
}: {
  className?: string;
  compact?: boolean;
}) {
  return (
    <span
      className={`inline-flex items-center gap-2 font-semibold tracking-tight text-zinc-900 ${className}`}
    >
      <svg
        aria-hidden
        viewBox="0 0 24 24"
        className="h-6 w-6 text-brand-600"
        fill="none"
        stroke="currentColor"
        strokeWidth="2.2"
        strokeLinecap="round"
      >
        <path d="M3 17c3-7 15-7 18 0" />
        <path d="M7 17v-3M12 17v-5M17 17v-3" />
      </svg>
      <span className={compact ? "sr-only" : undefined}>ModelBridge</span>
    </span>
  );
}
