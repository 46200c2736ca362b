import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { toKeyObject } from "@/lib/keys/key-view";
import { resumeKey } from "@/lib/keys/pause-key";
import { keyObject } from "@/lib/keys/schemas";
import { smallestRequestCost } from "@/lib/keys/smallest-request";

export const dynamic = "force-dynamic";

export const POST = apiRoute(
  {
    summary: "Resume a paused key",
    params: z.object({ id: z.string() }),
    response: keyObject,
    // forbidden: a team admin paused it; conflict: the key is revoked.
    errors: ["not_found", "forbidden", "conflict"],
  },
  async ({ actor, db, params }) =>
    toKeyObject(await resumeKey(db, actor, params.id), await smallestRequestCost(db)),
);
