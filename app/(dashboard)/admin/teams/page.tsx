import type { Metadata } from "next";
import { getDatabase } from "@/db/client";
import { listTeamsOverview } from "@/lib/admin/teams-overview";
import { requireSessionActor } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { toBalanceRow } from "../balances/balance-row";
import { TeamsList } from "./_components/teams-list";

export const metadata: Metadata = { title: "Teams · Admin" };
export const dynamic = "force-dynamic";

export default async function AdminTeamsPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string }>;
}) {
  const actor = await requireSessionActor();
  const { q = "" } = await searchParams;
  const search = typeof q === "string" ? q.slice(0, 100) : "";
  const teams = await listTeamsOverview((await getDatabase()).db, actor, search);
  return (
    <TeamsList
      search={search}
      currency={env().CURRENCY}
      teams={teams.map((t) => ({
        id: t.id,
        name: t.name,
        createdAt: t.createdAt.toISOString(),
        members: t.members,
        balance: toBalanceRow({ kind: "team", teamId: t.id }, t.name, null, false, t.balance),
      }))}
    />
  );
}
