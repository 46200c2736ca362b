"use server";

import { AuthError } from "next-auth";
import { getDb } from "@/db/client";
import { signIn, TooManyAttemptsError } from "@/lib/auth";
import { signInSchema, signUpSchema } from "@/lib/users/schemas";
import { createUser, EmailTakenError } from "@/lib/users/service";
import { fieldErrors, type FormState } from "@/lib/forms/form-state";
import { sameOriginPath } from "@/lib/http/same-origin-path";

const AFTER_SIGN_IN = "/settings/api-keys";


export async function signUpAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const values = { name: formData.get("name"), email: formData.get("email") };
  const parsed = signUpSchema.safeParse({ ...values, password: formData.get("password") });
  if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error), values };
  try {
    await createUser(await getDb(), parsed.data);
  } catch (error) {
    if (error instanceof EmailTakenError) {
      return { fieldErrors: { email: "An account with this email already exists. Sign in instead." }, values };
    }
    throw error;
  }
  // Throws Next's redirect on success, which must propagate.
  await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirectTo: AFTER_SIGN_IN });
  return {};
}

export async function signInAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const values = { email: formData.get("email") };
  const parsed = signInSchema.safeParse({ email: formData.get("email"), password: formData.get("password") });
  if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error), values };
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: sameOriginPath(formData.get("callbackUrl"), AFTER_SIGN_IN),
    });
  } catch (error) {
    if (error instanceof TooManyAttemptsError || (error instanceof AuthError && (error as { code?: string }).code === "rate_limited")) {
      return { formError: "Too many failed sign-in attempts. Wait 15 minutes and try again.", values };
    }
    if (error instanceof AuthError) return { formError: "Incorrect email or password.", values };
    throw error;
  }
  return {};
}

export async function signInWithOidcAction(): Promise<void> {
  await signIn("oidc", { redirectTo: AFTER_SIGN_IN });
}
