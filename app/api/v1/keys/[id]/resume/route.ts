import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { toKeyObject } from "@/lib/keys/key-view";
import { resumeKey } from "@/lib/keys/pause-key";
import { smallestRequestCost } from "@/lib/keys/smallest-request";

export const dynamic = "force-dynamic";

export const POST = apiRoute(
  { params: z.object({ id: z.string() }) },
  async ({ actor, db, params }) =>
    toKeyObject(await resumeKey(db, actor, params.id), await smallestRequestCost(db)),
);
