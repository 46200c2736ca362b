import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { env } from "@/lib/env";
import { publicBaseUrl } from "@/lib/http/public-base-url";
import { inviteUrl } from "@/lib/invites/invite-view";
import { addMember } from "@/lib/teams/members";
import { addMemberBody, memberInviteObject, memberListObject } from "@/lib/teams/schemas";
import { getTeam } from "@/lib/teams/teams";
import { toMemberObject } from "@/lib/teams/team-view";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.string() });

export const GET = apiRoute(
  {
    summary: "Members of a team the caller belongs to",
    params,
    response: memberListObject,
    errors: ["not_found"],
  },
  async ({ actor, db, params }) => {
    const team = await getTeam(db, actor, params.id);
    return { object: "list", data: team.members.map(toMemberObject) };
  },
);

/** 201 alike whether or not the email has an account (see addMember). */
export const POST = apiRoute(
  {
    summary:
      "Add a member by email (team admins): an account joins at once, an unknown email gets a team invite; the answer is the same",
    params,
    body: addMemberBody,
    response: memberInviteObject,
    status: 201,
    // forbidden: the caller is a member, not an admin; conflict: already a member.
    errors: ["not_found", "forbidden", "conflict"],
  },
  async ({ actor, db, params, body, request }) => {
    const added = await addMember(db, actor, params.id, body);
    return {
      object: "team_invite",
      email: added.email,
      role: added.role,
      invite_url: inviteUrl(publicBaseUrl(env().PUBLIC_URL, request.headers), added.token),
      expires_at: added.expiresAt.toISOString(),
    };
  },
);
