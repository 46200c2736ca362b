import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { sendTestDelivery } from "@/lib/webhooks/test-delivery";
import { toDeliveryObject } from "@/lib/webhooks/webhook-view";

export const dynamic = "force-dynamic";

export const POST = apiRoute(
  { params: z.object({ id: z.string() }) },
  async ({ actor, db, params }) => toDeliveryObject(await sendTestDelivery(db, actor, params.id)),
);
