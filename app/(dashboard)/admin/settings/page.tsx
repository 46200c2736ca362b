import type { Metadata } from "next";
import { getDatabase } from "@/db/client";
import { requireSessionActor } from "@/lib/auth/session";
import { formatMoney } from "@/lib/billing/money";
import { env } from "@/lib/env";
import { listPendingInvites } from "@/lib/invites/invites";
import { requirePlatformAdmin } from "@/lib/auth/require-platform-admin";
import { getSignupSettings } from "@/lib/settings/signup-settings";
import { AllInvites } from "./_components/all-invites";
import { InviteForm } from "./_components/invite-form";
import { SignupSettingsForm } from "./_components/signup-settings-form";

export const metadata: Metadata = { title: "Settings · Admin" };
export const dynamic = "force-dynamic";

export default async function AdminSettingsPage() {
  const actor = await requireSessionActor();
  requirePlatformAdmin(actor, "change the install's settings");
  const { db } = await getDatabase();
  const settings = await getSignupSettings(db);
  const invites = await listPendingInvites(db, actor);
  return (
    <div className="space-y-6">
      <section
        aria-labelledby="signup-heading"
        className="rounded-xl border border-zinc-200 bg-white p-4 sm:p-5"
      >
        <h2 id="signup-heading" className="mb-4 text-base font-semibold">
          Sign-up
        </h2>
        <SignupSettingsForm
          mode={settings.signupMode}
          fromEnv={settings.signupModeSource === "env"}
          includedMonthly={formatMoney(settings.newAccountIncludedMonthly)}
          overageEnabled={settings.newAccountOverageEnabled}
          currency={env().CURRENCY}
        />
      </section>
      <section
        aria-labelledby="invites-heading"
        className="space-y-4 rounded-xl border border-zinc-200 bg-white p-4 sm:p-5"
      >
        <h2 id="invites-heading" className="text-base font-semibold">
          Invites
        </h2>
        <p className="text-sm text-zinc-600">
          Invite someone to this install. Team admins invite people to their team from the Teams
          page.
        </p>
        <InviteForm />
        <AllInvites
          invites={invites.map((invite) => ({
            id: invite.id,
            email: invite.email,
            destination: invite.teamName
              ? `team ${invite.teamName} as ${invite.teamRole}`
              : "this install",
            invitedBy: invite.invitedByName,
            expiresAt: invite.expiresAt.toISOString(),
          }))}
        />
      </section>
    </div>
  );
}
