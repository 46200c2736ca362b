"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { getSessionUser } from "@/lib/auth/session";
import { FieldError, ForbiddenError, NotFoundError } from "@/lib/errors/domain-errors";
import { fieldErrors, type FormState } from "@/lib/forms/form-state";
import { createWebhookBody } from "@/lib/webhooks/schemas";
import { sendTestDelivery } from "@/lib/webhooks/test-delivery";
import { createWebhook, deleteWebhook } from "@/lib/webhooks/webhooks";

const PAGE = "/settings/webhooks";
const SIGNED_OUT = "Your session has ended. Sign in again.";

export interface AddWebhookState extends FormState {
  /** The signing secret, present once, right after the webhook was added. */
  created?: { id: string; url: string; secret: string };
}

export async function addWebhookAction(_prev: AddWebhookState, formData: FormData): Promise<AddWebhookState> {
  const user = await getSessionUser();
  if (!user) return { formError: SIGNED_OUT };
  const values = { url: formData.get("url"), description: formData.get("description") };
  const owner = String(formData.get("owner") ?? "personal");
  const description = String(formData.get("description") ?? "").trim();
  const parsed = createWebhookBody.safeParse({
    url: formData.get("url") ?? "",
    ...(description ? { description } : {}),
    ...(owner !== "personal" ? { team_id: owner } : {}),
  });
  if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error), values };
  try {
    const { webhook, secret } = await createWebhook(await getDb(), { user, keyId: null }, { url: parsed.data.url, description: parsed.data.description, teamId: parsed.data.team_id ?? null });
    revalidatePath(PAGE);
    return { ok: true, created: { id: webhook.id, url: webhook.url, secret } };
  } catch (error) {
    return { ...knownError(error), values };
  }
}

export interface TestResult {
  ok: boolean;
  message: string;
}

export async function testWebhookAction(id: string): Promise<TestResult> {
  const user = await getSessionUser();
  if (!user) return { ok: false, message: SIGNED_OUT };
  if (typeof id !== "string") return { ok: false, message: "No such webhook." };
  try {
    const delivery = await sendTestDelivery(await getDb(), { user, keyId: null }, id);
    revalidatePath(PAGE);
    if (delivery.status === "delivered") return { ok: true, message: `Delivered: the receiver answered ${delivery.responseStatus} in ${delivery.durationMs} ms.` };
    return { ok: false, message: `Not delivered (${delivery.lastError ?? "no answer"}). It will be retried.` };
  } catch (error) {
    return { ok: false, message: knownError(error).formError ?? "Could not send the test." };
  }
}

export async function deleteWebhookAction(id: string): Promise<{ ok: boolean; error?: string }> {
  const user = await getSessionUser();
  if (!user) return { ok: false, error: SIGNED_OUT };
  if (typeof id !== "string") return { ok: false, error: "No such webhook." };
  try {
    await deleteWebhook(await getDb(), { user, keyId: null }, id);
    revalidatePath(PAGE);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: knownError(error).formError ?? "Could not delete the webhook." };
  }
}

function knownError(error: unknown): FormState {
  if (error instanceof FieldError) return { fieldErrors: { [error.field]: error.message } };
  if (error instanceof NotFoundError) return { formError: `No such ${error.what}. It may have been removed; refresh the page.` };
  if (error instanceof ForbiddenError) return { formError: error.message };
  throw error;
}
