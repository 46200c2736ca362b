import { apiRoute } from "@/lib/api/route";
import { createTeamBody, teamListObject, teamObject } from "@/lib/teams/schemas";
import { createTeam, listTeams } from "@/lib/teams/teams";
import { toTeamObject } from "@/lib/teams/team-view";

export const dynamic = "force-dynamic";

export const GET = apiRoute(
  { summary: "The caller's teams", response: teamListObject },
  async ({ actor, db }) => ({
    object: "list",
    data: (await listTeams(db, actor)).map(toTeamObject),
  }),
);

export const POST = apiRoute(
  {
    summary: "Create a team; the caller becomes its admin",
    body: createTeamBody,
    response: teamObject,
    status: 201,
    // forbidden: only platform admins create teams unless the install lets everyone.
    errors: ["forbidden"],
  },
  async ({ actor, db, body }) => toTeamObject(await createTeam(db, actor, body.name)),
);
