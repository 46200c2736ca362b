import { apiRoute, JsonResult } from "@/lib/api/route";
import { createKey } from "@/lib/keys/create-key";
import { toKeyObject } from "@/lib/keys/key-view";
import { controlsFromBody } from "@/lib/keys/key-controls";
import { listKeys } from "@/lib/keys/list-keys";
import { smallestRequestCost } from "@/lib/keys/smallest-request";
import { createKeyBody, listKeysQuery } from "@/lib/keys/schemas";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ query: listKeysQuery }, async ({ actor, db, query }) => {
  const [keys, smallest] = await Promise.all([listKeys(db, actor, query), smallestRequestCost(db)]);
  return { object: "list", data: keys.map((key) => toKeyObject(key, smallest)) };
});

export const POST = apiRoute({ body: createKeyBody }, async ({ actor, db, body }) => {
  const { key, rawKey } = await createKey(db, actor, {
    name: body.name,
    type: body.type,
    teamId: body.team_id ?? null,
    spendingLimit: body.spending_limit ?? null,
    expiresAt: body.expires_at ?? null,
    ...controlsFromBody(body),
  });
  return new JsonResult({ ...toKeyObject(key, await smallestRequestCost(db)), key: rawKey }, 201);
});
