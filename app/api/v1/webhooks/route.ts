import { apiRoute } from "@/lib/api/route";
import { NotFoundError } from "@/lib/errors/domain-errors";
import { isUuid } from "@/lib/teams/membership";
import {
  createdWebhookObject,
  createWebhookBody,
  listWebhooksQuery,
  webhookListObject,
} from "@/lib/webhooks/schemas";
import { toWebhookObject } from "@/lib/webhooks/webhook-view";
import { createWebhook, listWebhooks } from "@/lib/webhooks/webhooks";

export const dynamic = "force-dynamic";

export const GET = apiRoute(
  {
    summary: "The caller's webhooks, or a team's (`owner=<team_id>`, its admins)",
    query: listWebhooksQuery,
    response: webhookListObject,
    // not_found: a team the caller is not in; forbidden: a member, not an admin.
    errors: ["not_found", "forbidden"],
  },
  async ({ actor, db, query }) => {
    const owner = query.owner && query.owner !== "personal" ? query.owner : null;
    if (owner && !isUuid(owner)) throw new NotFoundError("team");
    return { object: "list", data: (await listWebhooks(db, actor, owner)).map(toWebhookObject) };
  },
);

export const POST = apiRoute(
  {
    summary:
      "Add a webhook (personal, or a team's with `team_id`); the signing secret is in this response only",
    body: createWebhookBody,
    response: createdWebhookObject,
    status: 201,
    // conflict: the owner already has the most webhooks it may.
    errors: ["not_found", "forbidden", "conflict"],
  },
  async ({ actor, db, body }) => {
    const { webhook, secret } = await createWebhook(db, actor, {
      url: body.url,
      description: body.description,
      teamId: body.team_id ?? null,
    });
    return { ...toWebhookObject(webhook), secret };
  },
);
