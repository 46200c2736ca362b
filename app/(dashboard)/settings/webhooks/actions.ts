"use server";

import { z } from "zod";
import { authedAction, formAction } from "@/lib/actions/authed-action";
import type { FormState } from "@/lib/forms/form-state";
import { createWebhookBody } from "@/lib/webhooks/schemas";
import { sendTestDelivery } from "@/lib/webhooks/test-delivery";
import { createWebhook, deleteWebhook } from "@/lib/webhooks/webhooks";

const PAGE = "/settings/webhooks";

export interface AddWebhookState extends FormState {
  /** The signing secret, present once, right after the webhook was added. */
  created?: { id: string; url: string; secret: string };
}

export const addWebhookAction = formAction<typeof createWebhookBody, AddWebhookState>(
  {
    input: createWebhookBody,
    read: (formData) => {
      const owner = String(formData.get("owner") ?? "personal");
      const description = String(formData.get("description") ?? "").trim();
      return {
        url: formData.get("url") ?? "",
        ...(description ? { description } : {}),
        ...(owner !== "personal" ? { team_id: owner } : {}),
      };
    },
    keep: ["url", "description"],
    fields: { team_id: "form" },
    revalidate: [PAGE],
  },
  async ({ db, actor, input }) => {
    const { webhook, secret } = await createWebhook(db, actor, {
      url: input.url,
      description: input.description,
      teamId: input.team_id ?? null,
    });
    return { ok: true, created: { id: webhook.id, url: webhook.url, secret } };
  },
);

const sendTest = authedAction(
  { input: z.string(), invalid: "No such webhook.", revalidate: [PAGE] },
  async ({ db, actor, input }) => {
    const delivery = await sendTestDelivery(db, actor, input);
    if (delivery.status === "delivered")
      return {
        ok: true,
        message: `Delivered: the receiver answered ${delivery.responseStatus} in ${delivery.durationMs} ms.`,
      };
    return {
      ok: false,
      message: `Not delivered (${delivery.lastError ?? "no answer"}). It will be retried.`,
    };
  },
);

/** Sends a signed test event now; the message says what the receiver answered. */
export async function testWebhookAction(id: string): Promise<{ ok: boolean; message: string }> {
  const result = await sendTest(id);
  return result.error === undefined ? result : { ok: false, message: result.error };
}

const remove = authedAction(
  { input: z.string(), invalid: "No such webhook.", revalidate: [PAGE] },
  async ({ db, actor, input }) => {
    await deleteWebhook(db, actor, input);
    return { ok: true as const };
  },
);

export async function deleteWebhookAction(id: string) {
  return remove(id);
}
