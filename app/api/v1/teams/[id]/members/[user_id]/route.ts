import { z } from "zod";
import { apiRoute, JsonResult } from "@/lib/api/route";
import { changeMemberRole, removeMember } from "@/lib/teams/members";
import { changeRoleBody } from "@/lib/teams/schemas";
import { getTeam } from "@/lib/teams/teams";
import { toMemberObject } from "@/lib/teams/team-view";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.string(), user_id: z.string() });

export const PATCH = apiRoute(
  { params, body: changeRoleBody },
  async ({ actor, db, params, body }) => {
    await changeMemberRole(db, actor, params.id, params.user_id, body.role);
    const team = await getTeam(db, actor, params.id);
    const member = team.members.find((m) => m.userId === params.user_id);
    return member ? toMemberObject(member) : { user_id: params.user_id, role: body.role };
  },
);

export const DELETE = apiRoute({ params }, async ({ actor, db, params }) => {
  await removeMember(db, actor, params.id, params.user_id);
  return new JsonResult(null, 204);
});
