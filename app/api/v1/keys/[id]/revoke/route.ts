import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { toKeyObject } from "@/lib/keys/key-view";
import { smallestRequestCost } from "@/lib/keys/smallest-request";
import { revokeKey } from "@/lib/keys/revoke-key";

export const dynamic = "force-dynamic";

export const POST = apiRoute(
  { params: z.object({ id: z.string() }) },
  async ({ actor, db, params }) =>
    toKeyObject(await revokeKey(db, actor, params.id), await smallestRequestCost(db)),
);
