import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { toKeyObject } from "@/lib/keys/key-view";
import { keyObject } from "@/lib/keys/schemas";
import { smallestRequestCost } from "@/lib/keys/smallest-request";
import { revokeKey } from "@/lib/keys/revoke-key";

export const dynamic = "force-dynamic";

export const POST = apiRoute(
  {
    summary: "Revoke at once and for good",
    params: z.object({ id: z.string() }),
    response: keyObject,
    errors: ["not_found"],
  },
  async ({ actor, db, params }) =>
    toKeyObject(await revokeKey(db, actor, params.id), await smallestRequestCost(db)),
);
