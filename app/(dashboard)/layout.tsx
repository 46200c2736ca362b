import Link from "next/link";
import { Logo } from "@/components/ui/logo";
import { Toaster } from "@/components/ui/toaster";
import { NavLinks } from "@/components/shell/nav-links";
import { UserMenu } from "@/components/shell/user-menu";
import { requireSessionUser } from "@/lib/auth/session";
import { signOutAction } from "./actions";

export const dynamic = "force-dynamic";

/** The signed-in shell. Checks the session once; pages and actions still authorize themselves. */
export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requireSessionUser();
  const isAdmin = user.role === "admin";
  const menu = (
    <UserMenu name={user.name} email={user.email} role={user.role} signOutAction={signOutAction} />
  );
  return (
    <div className="min-h-dvh md:flex">
      {/* The first thing a keyboard reaches: past the navigation, straight to the page. */}
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-white px-3 py-2 text-sm font-medium text-brand-700 shadow focus:not-sr-only focus:fixed focus:left-3 focus:top-3"
      >
        Skip to content
      </a>
      <aside className="hidden w-60 shrink-0 flex-col border-r border-zinc-200 bg-white md:flex">
        <div className="px-5 py-5">
          <Link href="/settings/api-keys">
            <Logo />
          </Link>
        </div>
        <nav aria-label="Main" className="flex-1 px-3">
          <NavLinks isAdmin={isAdmin} orientation="vertical" />
        </nav>
        <div className="border-t border-zinc-200 p-3">{menu}</div>
      </aside>
      <header className="border-b border-zinc-200 bg-white md:hidden">
        <div className="flex items-center justify-between px-4 py-3">
          <Link href="/settings/api-keys">
            <Logo />
          </Link>
          {menu}
        </div>
        <nav aria-label="Main" className="px-2 pb-2">
          <NavLinks isAdmin={isAdmin} orientation="horizontal" />
        </nav>
      </header>
      <main
        id="main"
        tabIndex={-1}
        className="min-w-0 flex-1 px-4 py-6 outline-none sm:px-8 sm:py-8"
      >
        {children}
      </main>
      <Toaster />
    </div>
  );
}
