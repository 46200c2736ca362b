import { z } from "zod";
import { apiRoute, JsonResult } from "@/lib/api/route";
import { env } from "@/lib/env";
import { publicBaseUrl } from "@/lib/http/public-base-url";
import { inviteUrl } from "@/lib/invites/invite-view";
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

/** 201 alike whether or not the email has an account (see addMember). */
export const POST = apiRoute(
  { params, body: addMemberBody },
  async ({ actor, db, params, body, request }) => {
    const added = await addMember(db, actor, params.id, body);
    return new JsonResult(
      {
        object: "team_invite",
        email: added.email,
        role: added.role,
        invite_url: inviteUrl(publicBaseUrl(env().PUBLIC_URL, request.headers), added.token),
        expires_at: added.expiresAt.toISOString(),
      },
      201,
    );
  },
);
