import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { deliveryObject } from "@/lib/webhooks/schemas";
import { sendTestDelivery } from "@/lib/webhooks/test-delivery";
import { toDeliveryObject } from "@/lib/webhooks/webhook-view";

export const dynamic = "force-dynamic";

export const POST = apiRoute(
  {
    summary: "Send a signed `webhook.test` event now; answers with the delivery's outcome",
    params: z.object({ id: z.string() }),
    response: deliveryObject,
    // rate_limit_exceeded: the owner's test sends a minute are used up.
    errors: ["not_found", "rate_limit_exceeded"],
  },
  async ({ actor, db, params }) => toDeliveryObject(await sendTestDelivery(db, actor, params.id)),
);
