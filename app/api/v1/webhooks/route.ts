import { apiRoute, JsonResult } from "@/lib/api/route";
import { NotFoundError } from "@/lib/errors/domain-errors";
import { isUuid } from "@/lib/teams/membership";
import { createWebhookBody, listWebhooksQuery } from "@/lib/webhooks/schemas";
import { toWebhookObject } from "@/lib/webhooks/webhook-view";
import { createWebhook, listWebhooks } from "@/lib/webhooks/webhooks";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ query: listWebhooksQuery }, async ({ actor, db, query }) => {
  const owner = query.owner && query.owner !== "personal" ? query.owner : null;
  if (owner && !isUuid(owner)) throw new NotFoundError("team");
  return { object: "list", data: (await listWebhooks(db, actor, owner)).map(toWebhookObject) };
});

export const POST = apiRoute({ body: createWebhookBody }, async ({ actor, db, body }) => {
  const { webhook, secret } = await createWebhook(db, actor, {
    url: body.url,
    description: body.description,
    teamId: body.team_id ?? null,
  });
  return new JsonResult({ ...toWebhookObject(webhook), secret }, 201);
});
