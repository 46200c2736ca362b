import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

/** "Not found", said plainly, with a way back. Also what a non-admin sees at /admin: that section does not exist for them. */
export function NotFoundView() {
  return (
    <div className="mx-auto max-w-md py-16 text-center">
      <p className="text-sm font-semibold text-brand-700">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight text-zinc-900">Page not found</h1>
      <p className="mt-3 text-sm text-zinc-600">
        There is nothing at this address, or it is not for your account. Check the link, or go back
        to your API keys.
      </p>
      <Link href="/settings/api-keys" className={buttonClass("primary", "mt-6")}>
        Back to API Keys
      </Link>
    </div>
  );
}
