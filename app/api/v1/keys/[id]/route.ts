import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { loadVisibleKey } from "@/lib/keys/key-access";
import { controlsFromBody } from "@/lib/keys/key-controls";
import { toKeyObject } from "@/lib/keys/key-view";
import { smallestRequestCost } from "@/lib/keys/smallest-request";
import { updateKeyBody } from "@/lib/keys/schemas";
import { updateKey } from "@/lib/keys/update-key";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.string() });

export const GET = apiRoute({ params }, async ({ actor, db, params }) =>
  toKeyObject(await loadVisibleKey(db, actor, params.id), await smallestRequestCost(db)),
);

export const PATCH = apiRoute(
  { params, body: updateKeyBody },
  async ({ actor, db, params, body }) => {
    const key = await updateKey(db, actor, params.id, {
      name: body.name,
      spendingLimit: body.spending_limit,
      expiresAt: body.expires_at,
      ...controlsFromBody(body),
    });
    return toKeyObject(key, await smallestRequestCost(db));
  },
);
