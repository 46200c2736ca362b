import { apiRoute, JsonResult } from "@/lib/api/route";
import { env } from "@/lib/env";
import { publicBaseUrl } from "@/lib/http/public-base-url";
import { createInvite, listPendingInvites } from "@/lib/invites/invites";
import { inviteUrl, toInviteObject } from "@/lib/invites/invite-view";
import { createInviteBody, listInvitesQuery } from "@/lib/invites/schemas";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ query: listInvitesQuery }, async ({ actor, db, query }) => ({
  object: "list",
  data: (await listPendingInvites(db, actor, query.team_id)).map(toInviteObject),
}));

export const POST = apiRoute({ body: createInviteBody }, async ({ actor, db, body, request }) => {
  const { invite, token } = await createInvite(db, actor, {
    email: body.email,
    teamId: body.team_id ?? null,
    teamRole: body.role,
  });
  return new JsonResult(
    {
      ...toInviteObject(invite),
      invite_url: inviteUrl(publicBaseUrl(env().PUBLIC_URL, request.headers), token),
    },
    201,
  );
});
