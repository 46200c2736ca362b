"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import { getDb } from "@/db/client";
import { signupModes } from "@/db/schema";
import { toApiError } from "@/lib/api/error-response";
import { getSessionUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { fieldErrors, type FormState } from "@/lib/forms/form-state";
import { publicBaseUrl } from "@/lib/http/public-base-url";
import { createInvite, revokeInvite } from "@/lib/invites/invites";
import { inviteUrl } from "@/lib/invites/invite-view";
import { nonNegativeMoney } from "@/lib/settings/schemas";
import { updateSignupSettings } from "@/lib/settings/signup-settings";
import { emailSchema } from "@/lib/users/schemas";

/** Admin → Settings. Each action checks the session here; the services check the platform-admin role. */
const SIGNED_OUT = "Your session has ended. Sign in again.";

const settingsForm = z.object({
  signup_mode: z.enum(signupModes, "Choose who may sign up").optional(),
  new_account_included_monthly: nonNegativeMoney,
  new_account_overage_enabled: z.enum(["on"]).optional(),
});

function refused(error: unknown, values: FormState["values"]): FormState {
  const apiError = toApiError(error);
  if (!apiError) throw error;
  return apiError.param ? { fieldErrors: { [apiError.param]: apiError.message }, values } : { formError: apiError.message, values };
}

export async function saveSettingsAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const values = Object.fromEntries(formData.entries());
  const user = await getSessionUser();
  if (!user) return { formError: SIGNED_OUT, values };
  const parsed = settingsForm.safeParse(values);
  if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error), values };
  try {
    await updateSignupSettings(await getDb(), { user, keyId: null }, {
      signupMode: parsed.data.signup_mode,
      newAccountIncludedMonthly: parsed.data.new_account_included_monthly,
      newAccountOverageEnabled: parsed.data.new_account_overage_enabled === "on",
    });
  } catch (error) {
    return refused(error, values);
  }
  revalidatePath("/admin/settings");
  return { ok: true };
}

export interface InviteState extends FormState {
  inviteUrl?: string;
  email?: string;
}

export async function createInviteAction(_prev: InviteState, formData: FormData): Promise<InviteState> {
  const values = { email: formData.get("email") };
  const user = await getSessionUser();
  if (!user) return { formError: SIGNED_OUT, values };
  const parsed = z.object({ email: emailSchema }).safeParse({ email: formData.get("email") ?? "" });
  if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error), values };
  try {
    const { invite, token } = await createInvite(await getDb(), { user, keyId: null }, { email: parsed.data.email });
    revalidatePath("/admin/settings");
    return { ok: true, email: invite.email, inviteUrl: inviteUrl(publicBaseUrl(env().PUBLIC_URL, new Headers(await headers())), token) };
  } catch (error) {
    return refused(error, values);
  }
}

export async function revokeAnyInviteAction(inviteId: string): Promise<{ error?: string }> {
  const user = await getSessionUser();
  if (!user) return { error: SIGNED_OUT };
  if (typeof inviteId !== "string") return { error: "No such invite." };
  try {
    await revokeInvite(await getDb(), { user, keyId: null }, inviteId);
  } catch (error) {
    const apiError = toApiError(error);
    if (!apiError) throw error;
    return { error: apiError.message };
  }
  revalidatePath("/admin/settings");
  return {};
}
