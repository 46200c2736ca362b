import { z } from "zod";
import { apiRoute, JsonResult } from "@/lib/api/route";
import { toWebhookObject } from "@/lib/webhooks/webhook-view";
import { deleteWebhook, loadManagedWebhook } from "@/lib/webhooks/webhooks";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.string() });

export const GET = apiRoute({ params }, async ({ actor, db, params }) =>
  toWebhookObject(await loadManagedWebhook(db, actor, params.id)),
);

export const DELETE = apiRoute({ params }, async ({ actor, db, params }) => {
  await deleteWebhook(db, actor, params.id);
  return new JsonResult(null, 204);
});
