import type { Metadata } from "next";
import { getDatabase } from "@/db/client";
import { adminPageTitle, requirePlatformAdminPage } from "@/lib/auth/admin-page";
import { formatMoney } from "@/lib/core/money";
import { env } from "@/lib/env";
import { listPendingInvites } from "@/lib/invites/invites";
import { captureFormValues } from "@/lib/requests/capture-form";
import { instanceCapture } from "@/lib/requests/capture-settings";
import { getSignupSettings } from "@/lib/settings/signup-settings";
import { PayloadCaptureForm } from "../_capture/payload-capture-form";
import { AllInvites } from "./_components/all-invites";
import { InviteForm } from "./_components/invite-form";
import { SignupSettingsForm } from "./_components/signup-settings-form";

export const generateMetadata = adminPageTitle("Settings");
export const dynamic = "force-dynamic";

export default async function AdminSettingsPage() {
  const actor = await requirePlatformAdminPage();
  const { db } = await getDatabase();
  const settings = await getSignupSettings(db);
  const invites = await listPendingInvites(db, actor);
  const capture = await instanceCapture(db);
  return (
    <div className="space-y-6">
      <section
        aria-labelledby="signup-heading"
        className="rounded-xl border border-zinc-200 bg-white p-4 sm:p-5"
      >
        <h2 id="signup-heading" className="mb-4 text-base font-semibold">
          Sign-up, teams and webhooks
        </h2>
        <SignupSettingsForm
          settings={{
            mode: settings.signupMode,
            fromEnv: settings.signupModeSource === "env",
            includedMonthly: formatMoney(settings.newAccountIncludedMonthly),
            overageEnabled: settings.newAccountOverageEnabled,
            whoMayCreateTeams: settings.whoMayCreateTeams,
            teamInvitesCreateAccounts: settings.teamInvitesCreateAccounts,
            webhooksAllowPrivateAddresses: settings.webhooksAllowPrivateAddresses,
          }}
          currency={env().CURRENCY}
        />
      </section>
      <section
        aria-labelledby="capture-heading"
        className="space-y-4 rounded-xl border border-zinc-200 bg-white p-4 sm:p-5"
      >
        <h2 id="capture-heading" className="text-base font-semibold">
          Request logging
        </h2>
        <p className="text-sm text-zinc-600">
          Instance-wide: every key whose own setting and whose team&apos;s setting are
          &ldquo;Inherit&rdquo;. Captured bodies are kept for {env().PAYLOAD_RETENTION_DAYS} days (
          <code>PAYLOAD_RETENTION_DAYS</code>), then purged.
        </p>
        <PayloadCaptureForm
          level="instance"
          saved={
            // Never set means off here: there is no level above the instance.
            capture ? captureFormValues(capture) : { capture: "off", samplePercent: "100" }
          }
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
