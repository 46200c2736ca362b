import type { Metadata } from "next";
import { SearchError } from "@/components/search-error";
import { searchParam } from "@/lib/http/search-param";
import { getDatabase } from "@/db/client";
import { listTeamsOverview } from "@/lib/admin/teams-overview";
import { adminPageTitle, requirePlatformAdminPage } from "@/lib/auth/admin-page";
import { env } from "@/lib/env";
import { captureFormValues } from "@/lib/requests/capture-form";
import { getSignupSettings } from "@/lib/settings/signup-settings";
import { noTeamsYetText } from "@/lib/teams/who-may-create";
import { toBalanceRow } from "../balances/balance-row";
import { TeamsList } from "./_components/teams-list";

export const generateMetadata = adminPageTitle("Teams");
export const dynamic = "force-dynamic";

export default async function AdminTeamsPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string | string[] }>;
}) {
  const actor = await requirePlatformAdminPage();
  const { search, error } = searchParam((await searchParams).q);
  const { db } = await getDatabase();
  const teams = await listTeamsOverview(db, actor, search);
  // Said as the install has it: under the default only platform admins create teams.
  const emptyText = teams.length === 0 ? noTeamsYetText(await getSignupSettings(db)) : "";
  return (
    <>
      <SearchError message={error} />
      <TeamsList
        search={search}
        emptyText={emptyText}
        currency={env().CURRENCY}
        teams={teams.map((t) => ({
          id: t.id,
          name: t.name,
          createdAt: t.createdAt.toISOString(),
          members: t.members,
          capture: captureFormValues(t.payloadCapture),
          balance: toBalanceRow({ kind: "team", teamId: t.id }, t.name, null, false, t.balance),
        }))}
      />
    </>
  );
}
