import type { Metadata } from "next";
import Link from "next/link";
import { KeyRound } from "lucide-react";
import { PageHeader } from "@/components/shell/page-header";
import { buttonClass } from "@/components/ui/button";
import { getDatabase } from "@/db/client";
import { requireSessionActor } from "@/lib/auth/session";
import { listPendingInvites } from "@/lib/invites/invites";
import { activeTeamKeysByMember } from "@/lib/teams/members";
import { getSignupSettings } from "@/lib/settings/signup-settings";
import { getTeam, listTeams } from "@/lib/teams/teams";
import { usersMayCreateTeams } from "@/lib/teams/who-may-create";
import { CreateTeamForm } from "./_components/create-team-form";
import { TeamCard } from "./_components/team-card";

export const metadata: Metadata = { title: "Teams" };
export const dynamic = "force-dynamic";

export default async function TeamsPage() {
  const actor = await requireSessionActor();
  const { user } = actor;
  const { db } = await getDatabase();
  const summaries = await listTeams(db, actor);
  // A form that can only fail is not offered: say who creates teams instead.
  const mayCreate = user.role === "admin" || usersMayCreateTeams(await getSignupSettings(db));
  const teams = await Promise.all(
    summaries.map(async (t) => {
      const team = await getTeam(db, actor, t.id);
      const admin = team.role === "admin";
      return {
        ...team,
        keysByMember: await activeTeamKeysByMember(db, team.id),
        invites: admin ? await listPendingInvites(db, actor, team.id) : [],
      };
    }),
  );
  return (
    <>
      <PageHeader
        title="Teams"
        description="A team's keys are charged to the team. Admins see and revoke every team key and manage members; members see the keys they created."
        actions={
          <Link href="/settings/api-keys" className={buttonClass("ghost")}>
            <KeyRound aria-hidden className="h-4 w-4" />
            API Keys
          </Link>
        }
      />
      <div className="space-y-6">
        {mayCreate ? (
          <CreateTeamForm />
        ) : (
          <p className="rounded-xl border border-zinc-200 bg-white px-4 py-3 text-sm text-zinc-700 sm:px-5">
            Only platform admins create teams on this server.
          </p>
        )}
        {teams.length === 0 ? (
          <div className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-10 text-center text-sm text-zinc-600">
            You are not in any team yet. {mayCreate ? "Create one above, or ask" : "Ask"} a team
            admin to add you by your email, {user.email}.
          </div>
        ) : (
          teams.map((team) => (
            <TeamCard
              key={team.id}
              teamId={team.id}
              name={team.name}
              role={team.role}
              currentUserId={user.id}
              members={team.members.map((m) => ({
                userId: m.userId,
                name: m.name,
                email: m.email,
                role: m.role,
                activeKeys:
                  team.role === "admin" || m.userId === user.id
                    ? (team.keysByMember.get(m.userId) ?? 0)
                    : 0,
              }))}
              activeTeamKeys={[...team.keysByMember.values()].reduce((a, b) => a + b, 0)}
              invites={team.invites.map((invite) => ({
                id: invite.id,
                email: invite.email,
                destination: `as ${invite.teamRole}`,
                invitedBy: invite.invitedByName,
                expiresAt: invite.expiresAt.toISOString(),
              }))}
            />
          ))
        )}
      </div>
    </>
  );
}
