import type { Metadata } from "next";
import { NotFoundView } from "@/components/shell/not-found-view";
import { Logo } from "@/components/ui/logo";

export const metadata: Metadata = { title: "Page not found" };

/** Any address that matches no page, signed in or not. */
export default function NotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-4 py-10">
      <Logo className="text-xl" />
      <NotFoundView />
    </main>
  );
}
