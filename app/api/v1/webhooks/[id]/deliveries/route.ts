import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { listDeliveries } from "@/lib/webhooks/deliveries";
import { deliveryListObject } from "@/lib/webhooks/schemas";
import { toDeliveryObject } from "@/lib/webhooks/webhook-view";
import { loadManagedWebhook } from "@/lib/webhooks/webhooks";

export const dynamic = "force-dynamic";

export const GET = apiRoute(
  {
    summary: "The webhook's 20 most recent deliveries",
    params: z.object({ id: z.string() }),
    response: deliveryListObject,
    errors: ["not_found"],
  },
  async ({ actor, db, params }) => {
    const webhook = await loadManagedWebhook(db, actor, params.id);
    return { object: "list", data: (await listDeliveries(db, webhook.id)).map(toDeliveryObject) };
  },
);
