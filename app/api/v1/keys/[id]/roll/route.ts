import { z } from "zod";
import { apiRoute, JsonResult } from "@/lib/api/route";
import { toKeyObject } from "@/lib/keys/key-view";
import { rollKey } from "@/lib/keys/roll-key";
import { rollKeyBody } from "@/lib/keys/schemas";
import { smallestRequestCost } from "@/lib/keys/smallest-request";

export const dynamic = "force-dynamic";

export const POST = apiRoute(
  { params: z.object({ id: z.string() }), body: rollKeyBody },
  async ({ actor, db, params, body }) => {
    const { key, rawKey } = await rollKey(db, actor, params.id, body.grace_period_seconds);
    return new JsonResult({ ...toKeyObject(key, await smallestRequestCost(db)), key: rawKey }, 201);
  },
);
