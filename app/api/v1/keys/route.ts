import { apiRoute } from "@/lib/api/route";
import { createKey } from "@/lib/keys/create-key";
import { toKeyObject } from "@/lib/keys/key-view";
import { controlsFromBody } from "@/lib/keys/key-controls";
import { listKeys } from "@/lib/keys/list-keys";
import { smallestRequestCost } from "@/lib/keys/smallest-request";
import { createdKeyObject, createKeyBody, keyListObject, listKeysQuery } from "@/lib/keys/schemas";

export const dynamic = "force-dynamic";

export const GET = apiRoute(
  {
    summary: "Keys the caller may see",
    query: listKeysQuery,
    response: keyListObject,
    // A team the caller is not in.
    errors: ["not_found"],
  },
  async ({ actor, db, query }) => {
    const [keys, smallest] = await Promise.all([
      listKeys(db, actor, query),
      smallestRequestCost(db),
    ]);
    return { object: "list", data: keys.map((key) => toKeyObject(key, smallest)) };
  },
);

export const POST = apiRoute(
  {
    summary: "Create a key; the response is the only place the full key appears",
    body: createKeyBody,
    response: createdKeyObject,
    status: 201,
    errors: ["not_found", "key_limit_reached"],
  },
  async ({ actor, db, body }) => {
    const { key, rawKey } = await createKey(db, actor, {
      name: body.name,
      type: body.type,
      teamId: body.team_id ?? null,
      spendingLimit: body.spending_limit ?? null,
      expiresAt: body.expires_at ?? null,
      ...controlsFromBody(body),
    });
    return { ...toKeyObject(key, await smallestRequestCost(db)), key: rawKey };
  },
);
