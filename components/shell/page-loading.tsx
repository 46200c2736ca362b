/**
 * What a page shows while the server renders it (a route's loading.tsx): the old page goes
 * at once, a skeleton says something is coming, and a screen reader hears what.
 */
export function PageLoading({ what, rows = 5 }: { what: string; rows?: number }) {
  return (
    <div aria-busy="true" data-testid="page-loading">
      <p role="status" className="sr-only">
        Loading {what}…
      </p>
      <div className="mb-6 h-8 w-48 animate-pulse rounded bg-zinc-200" />
      <div className="space-y-2 rounded-xl border border-zinc-200 bg-white p-4">
        {Array.from({ length: rows }, (_, i) => (
          <div key={i} className="h-8 animate-pulse rounded bg-zinc-100" />
        ))}
      </div>
    </div>
  );
}
