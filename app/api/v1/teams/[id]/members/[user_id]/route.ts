import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { changeMemberRole, removeMember } from "@/lib/teams/members";
import { changeRoleBody, memberObject } from "@/lib/teams/schemas";
import { getTeam } from "@/lib/teams/teams";
import { toMemberObject } from "@/lib/teams/team-view";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.string(), user_id: z.string() });

export const PATCH = apiRoute(
  {
    summary: "Change a member's role (team admins)",
    params,
    body: changeRoleBody,
    response: memberObject,
    // conflict: the team's last admin.
    errors: ["not_found", "forbidden", "conflict"],
  },
  async ({ actor, db, params, body }) => {
    await changeMemberRole(db, actor, params.id, params.user_id, body.role);
    const team = await getTeam(db, actor, params.id);
    const member = team.members.find((m) => m.userId === params.user_id);
    return member ? toMemberObject(member) : { user_id: params.user_id, role: body.role };
  },
);

export const DELETE = apiRoute(
  {
    summary: "Remove a member (team admins, or yourself); a team keeps at least one admin",
    params,
    status: 204,
    // conflict: the team's last admin.
    errors: ["not_found", "forbidden", "conflict"],
  },
  async ({ actor, db, params }) => {
    await removeMember(db, actor, params.id, params.user_id);
    return null;
  },
);
