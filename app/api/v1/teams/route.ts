import { apiRoute, JsonResult } from "@/lib/api/route";
import { createTeamBody } from "@/lib/teams/schemas";
import { createTeam, listTeams } from "@/lib/teams/teams";
import { toTeamObject } from "@/lib/teams/team-view";

export const dynamic = "force-dynamic";

export const GET = apiRoute({}, async ({ actor, db }) => ({
  object: "list",
  data: (await listTeams(db, actor)).map(toTeamObject),
}));

export const POST = apiRoute(
  { body: createTeamBody },
  async ({ actor, db, body }) =>
    new JsonResult(toTeamObject(await createTeam(db, actor, body.name)), 201),
);
