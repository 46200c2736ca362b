import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { loadVisibleKey } from "@/lib/keys/key-access";
import { controlsFromBody } from "@/lib/keys/key-controls";
import { toKeyObject } from "@/lib/keys/key-view";
import { smallestRequestCost } from "@/lib/keys/smallest-request";
import { keyObject, updateKeyBody } from "@/lib/keys/schemas";
import { updateKey } from "@/lib/keys/update-key";
import { setKeyCapture } from "@/lib/requests/capture-settings";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.string() });

export const GET = apiRoute(
  { summary: "One key", params, response: keyObject, errors: ["not_found"] },
  async ({ actor, db, params }) =>
    toKeyObject(await loadVisibleKey(db, actor, params.id), await smallestRequestCost(db)),
);

export const PATCH = apiRoute(
  {
    summary:
      "Change name, spending limit, expiry, allowed models, rate limits, budget period, IP allowlist or alert thresholds (null removes them)",
    params,
    body: updateKeyBody,
    response: keyObject,
    // forbidden: payload capture by a non-admin, or a control a team admin locked;
    // conflict: the key is revoked.
    errors: ["not_found", "forbidden", "conflict"],
  },
  async ({ actor, db, params, body }) => {
    const { payload_capture: capture, ...rest } = body;
    // Payload capture is a platform admin's switch, on any key (lib/requests/capture-settings.ts).
    let key = capture === undefined ? null : await setKeyCapture(db, actor, params.id, capture);
    if (!key || Object.values(rest).some((value) => value !== undefined))
      key = await updateKey(db, actor, params.id, {
        name: rest.name,
        spendingLimit: rest.spending_limit,
        expiresAt: rest.expires_at,
        ...controlsFromBody(rest),
      });
    return toKeyObject(key, await smallestRequestCost(db));
  },
);
