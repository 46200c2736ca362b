/** Shown while usage is summed (first visit, a new owner or range). */
export default function Loading() {
  return (
    <div aria-busy="true" aria-live="polite">
      <p className="sr-only">Loading usage…</p>
      <div className="mb-6 h-8 w-40 animate-pulse rounded bg-zinc-200" />
      <div className="mb-8 flex flex-wrap gap-2">
        <div className="h-9 w-56 animate-pulse rounded bg-zinc-200" />
        <div className="h-9 w-72 animate-pulse rounded bg-zinc-200" />
      </div>
      <div className="mb-8 grid gap-3 sm:grid-cols-3">
        {Array.from({ length: 3 }, (_, i) => (
          <div key={i} className="h-24 animate-pulse rounded-xl bg-zinc-200" />
        ))}
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        {Array.from({ length: 3 }, (_, i) => (
          <div key={i} className="h-64 animate-pulse rounded-xl bg-zinc-100" />
        ))}
      </div>
    </div>
  );
}
