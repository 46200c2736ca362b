import { cookies } from "next/headers";
import Link from "next/link";
import { ThemeSwitch } from "@/components/shell/theme-switch";
import { parseTheme, THEME_COOKIE } from "@/lib/theme";
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
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
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
        <div className="space-y-2 border-t border-zinc-200 p-3">
          <ThemeSwitch initial={theme} />
          {menu}
        </div>
      </aside>
      {/* A phone gets one row: the mark, the links scrolling sideways, the account menu. */}
      <header className="sticky top-0 z-30 flex items-center gap-1 border-b border-zinc-200 bg-white px-2 py-1.5 md:hidden">
        <Link href="/settings/api-keys" className="shrink-0 p-1">
          <Logo compact />
        </Link>
        <nav aria-label="Main" className="min-w-0 flex-1">
          <NavLinks isAdmin={isAdmin} orientation="horizontal" />
        </nav>
        <div className="shrink-0">{menu}</div>
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
