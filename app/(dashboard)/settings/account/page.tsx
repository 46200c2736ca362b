import type { Metadata } from "next";
import { cookies } from "next/headers";
import { PageHeader } from "@/components/shell/page-header";
import { ThemeSwitch } from "@/components/shell/theme-switch";
import { parseTheme, THEME_COOKIE } from "@/lib/theme";
import { requireSessionUser } from "@/lib/auth/session";
import { ChangePasswordForm } from "./_components/change-password-form";
import { ProfileForm } from "./_components/profile-form";
import { SignOutEverywhere } from "./_components/sign-out-everywhere";

export const metadata: Metadata = { title: "Account" };
export const dynamic = "force-dynamic";

export default async function AccountPage({
  searchParams,
}: {
  searchParams: Promise<{ changed?: string }>;
}) {
  const user = await requireSessionUser();
  const { changed } = await searchParams;
  return (
    <>
      <PageHeader title="Account" description={`Signed in as ${user.email}.`} />
      <div className="space-y-6">
        <section
          aria-labelledby="profile-heading"
          className="space-y-4 rounded-xl border border-zinc-200 bg-white p-4 sm:p-5"
        >
          <h2 id="profile-heading" className="text-base font-semibold">
            Profile
          </h2>
          <ProfileForm name={user.name} email={user.email} />
        </section>
        <section
          aria-labelledby="appearance-heading"
          className="space-y-3 rounded-xl border border-zinc-200 bg-white p-4 sm:p-5"
        >
          <h2 id="appearance-heading" className="text-base font-semibold">
            Appearance
          </h2>
          <p className="text-sm text-zinc-600">
            System follows your device&apos;s light or dark setting.
          </p>
          <div className="max-w-xs">
            <ThemeSwitch initial={parseTheme((await cookies()).get(THEME_COOKIE)?.value)} />
          </div>
        </section>
        <section
          aria-labelledby="password-heading"
          className="space-y-4 rounded-xl border border-zinc-200 bg-white p-4 sm:p-5"
        >
          <h2 id="password-heading" className="text-base font-semibold">
            Password
          </h2>
          {changed ? (
            <p role="status" className="text-sm text-emerald-700">
              Password changed. Every other session was signed out.
            </p>
          ) : null}
          <p className="text-sm text-zinc-600">Changing it signs you out on every other device.</p>
          <ChangePasswordForm />
        </section>
        <section
          aria-labelledby="sessions-heading"
          className="space-y-3 rounded-xl border border-zinc-200 bg-white p-4 sm:p-5"
        >
          <h2 id="sessions-heading" className="text-base font-semibold">
            Sessions
          </h2>
          <p className="text-sm text-zinc-600">
            Lost a device or signed in somewhere you should not have? End every session of this
            account, this one included.
          </p>
          <SignOutEverywhere />
        </section>
      </div>
    </>
  );
}
