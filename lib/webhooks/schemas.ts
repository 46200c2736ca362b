import { z } from "zod";
import { isoTime, uuidParam } from "@/lib/core/common-schemas";
import { plainString } from "@/lib/core/plain-text";
import { deliveryStatuses } from "@/db/schema";
import { env } from "@/lib/env";
import { forbiddenUpstreamReason } from "@/lib/models/upstream-address";

/**
 * A webhook URL follows a model base URL's rules: http(s), loopback and private ranges
 * allowed (receivers on the same network are common), link-local and metadata refused here
 * for a clear 422 and again on every connection (guarded-connector.ts).
 */
export const webhookUrl = plainString()
  .trim()
  .max(2048)
  .url("must be a URL, like https://hooks.example.com/modelbridge")
  .refine((value) => /^https?:\/\//i.test(value), "must be an http:// or https:// URL")
  .superRefine((value, ctx) => {
    if (env().ALLOW_LINK_LOCAL_UPSTREAMS) return;
    const reason = forbiddenUpstreamReason(value);
    if (reason) ctx.addIssue({ code: "custom", message: reason });
  });

export const createWebhookBody = z.strictObject({
  url: webhookUrl,
  description: plainString().trim().max(200).optional(),
  team_id: uuidParam
    .optional()
    .meta({ description: "A team's webhook (its admins); without it, the caller's own." }),
});

export const listWebhooksQuery = z.object({
  owner: z
    .string()
    .max(64)
    .optional()
    .meta({ description: "`personal` (the default) or a team id" }),
});

export const webhookObject = z.object({
  id: z.uuid(),
  url: z.string(),
  description: z.string().nullable(),
  team_id: z.uuid().nullable(),
  created_at: isoTime,
  disabled_at: isoTime.nullable().meta({
    description:
      "When it stopped receiving events (the team admin who added it was removed or demoted); null: active.",
  }),
});

export const createdWebhookObject = webhookObject.extend({
  secret: z.string().meta({
    description:
      "The signing secret, shown only here. Verify `modelbridge-signature: t=…,v1=…` with it.",
  }),
});

export const webhookListObject = z.object({
  object: z.literal("list"),
  data: z.array(webhookObject),
});

export const deliveryObject = z.object({
  id: z.uuid(),
  webhook_id: z.uuid(),
  event: z.string(),
  status: z.enum(deliveryStatuses),
  attempts: z.number().int(),
  response_status: z.number().int().nullable(),
  last_error: z.string().nullable(),
  last_attempt_at: isoTime.nullable(),
  next_attempt_at: isoTime
    .nullable()
    .meta({ description: "When a pending delivery is tried again." }),
  duration_ms: z.number().int().nullable(),
  created_at: isoTime,
});

export const deliveryListObject = z.object({
  object: z.literal("list"),
  data: z.array(deliveryObject),
});
