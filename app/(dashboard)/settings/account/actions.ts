"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { signIn, signOut } from "@/lib/auth";
import { changePassword } from "@/lib/auth/change-password";
import { getSessionUser } from "@/lib/auth/session";
import { endAllSessions } from "@/lib/auth/session-user";
import { FieldError } from "@/lib/errors/domain-errors";
import { fieldErrors, type FormState } from "@/lib/forms/form-state";
import { newPasswordSchema } from "@/lib/users/schemas";

const SIGNED_OUT = "Your session has ended. Sign in again.";

const changePasswordForm = z.object({
  current_password: z.string().min(1, "Enter your current password").max(200),
  new_password: newPasswordSchema,
});

/** Changes the password and ends every session; this browser gets a fresh one at once. */
export async function changePasswordAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const user = await getSessionUser();
  if (!user) return { formError: SIGNED_OUT };
  const parsed = changePasswordForm.safeParse({ current_password: formData.get("current_password"), new_password: formData.get("new_password") });
  if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error) };
  try {
    await changePassword(await getDb(), user.id, parsed.data.current_password, parsed.data.new_password);
  } catch (error) {
    if (error instanceof FieldError) return { fieldErrors: { [error.field]: error.message } };
    throw error;
  }
  // Throws Next's redirect, which must propagate.
  await signIn("credentials", { email: user.email, password: parsed.data.new_password, redirectTo: "/settings/account?changed=1" });
  return { ok: true };
}

/** Ends every session of this user on every device, this one included. */
export async function signOutEverywhereAction(): Promise<void> {
  const user = await getSessionUser();
  if (user) await endAllSessions(await getDb(), user.id);
  await signOut({ redirectTo: "/login" });
}
