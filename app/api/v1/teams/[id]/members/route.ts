import { z } from "zod";
import { apiRoute, JsonResult } from "@/lib/api/route";
import { addMember } from "@/lib/teams/members";
import { addMemberBody } from "@/lib/teams/schemas";
import { getTeam } from "@/lib/teams/teams";
import { toMemberObject } from "@/lib/teams/team-view";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.string() });

export const GET = apiRoute({ params }, async ({ actor, db, params }) => {
  const team = await getTeam(db, actor, params.id);
  return { object: "list", data: team.members.map(toMemberObject) };
});

export const POST = apiRoute({ params, body: addMemberBody }, async ({ actor, db, params, body }) =>
  new JsonResult(toMemberObject(await addMember(db, actor, params.id, body)), 201),
);
