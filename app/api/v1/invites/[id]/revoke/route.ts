import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { revokeInvite } from "@/lib/invites/invites";

export const dynamic = "force-dynamic";

export const POST = apiRoute(
  {
    summary: "Revoke a pending invite: its link stops working",
    params: z.object({ id: z.string() }),
    status: 204,
    errors: ["not_found"],
  },
  async ({ actor, db, params }) => {
    await revokeInvite(db, actor, params.id);
    return null;
  },
);
