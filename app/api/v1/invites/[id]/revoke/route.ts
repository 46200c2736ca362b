import { z } from "zod";
import { apiRoute, JsonResult } from "@/lib/api/route";
import { revokeInvite } from "@/lib/invites/invites";

export const dynamic = "force-dynamic";

export const POST = apiRoute(
  { params: z.object({ id: z.string() }) },
  async ({ actor, db, params }) => {
    await revokeInvite(db, actor, params.id);
    return new JsonResult(null, 204);
  },
);
