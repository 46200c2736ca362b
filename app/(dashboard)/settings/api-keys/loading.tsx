/** Shown while the key list loads (first visit, owner change). */
export default function Loading() {
  return (
    <div aria-busy="true" aria-live="polite">
      <p className="sr-only">Loading API keys…</p>
      <div className="mb-6 h-8 w-48 animate-pulse rounded bg-zinc-200" />
      <div className="mb-4 flex gap-2">
        <div className="h-9 w-40 animate-pulse rounded bg-zinc-200" />
        <div className="h-9 w-56 animate-pulse rounded bg-zinc-200" />
      </div>
      <div className="space-y-2 rounded-xl border border-zinc-200 bg-white p-4">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="h-8 animate-pulse rounded bg-zinc-100" />
        ))}
      </div>
    </div>
  );
}
