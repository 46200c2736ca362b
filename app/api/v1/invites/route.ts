import { apiRoute } from "@/lib/api/route";
import { env } from "@/lib/env";
import { publicBaseUrl } from "@/lib/http/public-base-url";
import { createInvite, listPendingInvites } from "@/lib/invites/invites";
import { inviteUrl, toInviteObject } from "@/lib/invites/invite-view";
import {
  createdInviteObject,
  createInviteBody,
  inviteListObject,
  listInvitesQuery,
} from "@/lib/invites/schemas";

export const dynamic = "force-dynamic";

export const GET = apiRoute(
  {
    summary: "Pending invites: every one for platform admins, a team's (`team_id`) for its admins",
    query: listInvitesQuery,
    response: inviteListObject,
    // not_found: a team the caller is not in; forbidden: not its admin, or not a platform admin.
    errors: ["not_found", "forbidden"],
  },
  async ({ actor, db, query }) => ({
    object: "list",
    data: (await listPendingInvites(db, actor, query.team_id)).map(toInviteObject),
  }),
);

export const POST = apiRoute(
  {
    summary:
      "Invite an email to the install (platform admins) or to a team (its admins); the link is in this response only",
    body: createInviteBody,
    response: createdInviteObject,
    status: 201,
    errors: ["not_found", "forbidden"],
  },
  async ({ actor, db, body, request }) => {
    const { invite, token } = await createInvite(db, actor, {
      email: body.email,
      teamId: body.team_id ?? null,
      teamRole: body.role,
    });
    return {
      ...toInviteObject(invite),
      invite_url: inviteUrl(publicBaseUrl(env().PUBLIC_URL, request.headers), token),
    };
  },
);
