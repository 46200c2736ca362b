import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { webhookObject } from "@/lib/webhooks/schemas";
import { toWebhookObject } from "@/lib/webhooks/webhook-view";
import { deleteWebhook, loadManagedWebhook } from "@/lib/webhooks/webhooks";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.string() });

export const GET = apiRoute(
  { summary: "One webhook", params, response: webhookObject, errors: ["not_found"] },
  async ({ actor, db, params }) => toWebhookObject(await loadManagedWebhook(db, actor, params.id)),
);

export const DELETE = apiRoute(
  {
    summary: "Delete a webhook and its delivery history",
    params,
    status: 204,
    errors: ["not_found"],
  },
  async ({ actor, db, params }) => {
    await deleteWebhook(db, actor, params.id);
    return null;
  },
);
