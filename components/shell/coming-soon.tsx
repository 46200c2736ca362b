import type { ReactNode } from "react";

/** A page whose feature is not built yet says what will be there, instead of looking broken. */
export function ComingSoon({ children }: { children: ReactNode }) {
  return (
    <div className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-12 text-center">
      <p className="text-sm font-medium text-zinc-900">Coming soon</p>
      <div className="mx-auto mt-2 max-w-md text-sm text-zinc-600">{children}</div>
    </div>
  );
}
