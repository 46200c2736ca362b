import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { toKeyObject } from "@/lib/keys/key-view";
import { pauseKey } from "@/lib/keys/pause-key";
import { keyObject } from "@/lib/keys/schemas";
import { smallestRequestCost } from "@/lib/keys/smallest-request";

export const dynamic = "force-dynamic";

export const POST = apiRoute(
  {
    summary: "Pause: /v1 refuses the key (403 key_paused) until it is resumed",
    params: z.object({ id: z.string() }),
    response: keyObject,
    // conflict: the key is revoked.
    errors: ["not_found", "conflict"],
  },
  async ({ actor, db, params }) =>
    toKeyObject(await pauseKey(db, actor, params.id), await smallestRequestCost(db)),
);
