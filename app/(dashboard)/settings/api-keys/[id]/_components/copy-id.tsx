import { CopyButton } from "@/components/ui/copy-button";

/** An id people paste into scripts and support tickets: shown whole, with a Copy button. */
export function CopyId({ label, value }: { label: string; value: string }) {
  return (
    <div className="flex min-w-0 items-center gap-2">
      <dt className="w-24 shrink-0 text-xs font-medium text-zinc-600">{label}</dt>
      <dd className="flex min-w-0 flex-1 items-center gap-2">
        <code className="min-w-0 truncate font-mono text-xs text-zinc-800" title={value}>
          {value}
        </code>
        <CopyButton text={value} what={label.toLowerCase()} />
      </dd>
    </div>
  );
}
