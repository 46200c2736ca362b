import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { toKeyObject } from "@/lib/keys/key-view";
import { rollKey } from "@/lib/keys/roll-key";
import { createdKeyObject, rollKeyBody } from "@/lib/keys/schemas";
import { smallestRequestCost } from "@/lib/keys/smallest-request";

export const dynamic = "force-dynamic";

export const POST = apiRoute(
  {
    summary:
      "A new secret for the same key, in this response only; the old one works for the grace period, then gets 401 key_rotated",
    params: z.object({ id: z.string() }),
    body: rollKeyBody,
    response: createdKeyObject,
    status: 201,
    // conflict: the key is revoked.
    errors: ["not_found", "conflict"],
  },
  async ({ actor, db, params, body }) => {
    const { key, rawKey } = await rollKey(db, actor, params.id, body.grace_period_seconds);
    return { ...toKeyObject(key, await smallestRequestCost(db)), key: rawKey };
  },
);
