"use server";

import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { getDatabase } from "@/db/client";
import { AccountDisabledError, signIn, TooManyAttemptsError } from "@/lib/auth";
import { allowSignUpAttempt } from "@/lib/auth/sign-up-limiter";
import { clientIpFromHeaders } from "@/lib/http/client-ip";
import { signInSchema, signUpSchema } from "@/lib/users/schemas";
import { registerAccount, SignupRefusedError } from "@/lib/users/registration";
import { EmailTakenError } from "@/lib/users/service";
import { fieldErrors, type FormState } from "@/lib/forms/form-state";
import { sameOriginPath } from "@/lib/http/same-origin-path";

const AFTER_SIGN_IN = "/settings/api-keys";

const REFUSED: Record<SignupRefusedError["reason"], string> = {
  closed: "Sign-up is closed on this server. Ask an administrator for an account.",
  invite_required:
    "Sign-up is by invitation only. Ask an administrator or a team admin for an invite link.",
  invite_unusable:
    "This invite link has expired, was revoked or has already been used. Ask for a new one.",
  team_invite_no_account:
    "This team invite can add an existing account only. Ask an administrator for an invite to this server.",
};

export async function signUpAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const values = { name: formData.get("name"), email: formData.get("email") };
  const invite = formData.get("invite");
  const inviteToken = typeof invite === "string" && invite !== "" ? invite : null;
  const parsed = signUpSchema.safeParse({ ...values, password: formData.get("password") });
  if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error), values };
  if (!(await allowSignUpAttempt(clientIpFromHeaders(new Headers(await headers()))))) {
    return {
      formError: "Too many sign-up attempts from your network. Try again in an hour.",
      values,
    };
  }
  let email = parsed.data.email;
  try {
    // Through an invite the account gets the invited email, whatever the form carried.
    email = (await registerAccount((await getDatabase()).db, { ...parsed.data, inviteToken }))
      .email;
  } catch (error) {
    if (error instanceof EmailTakenError) {
      return {
        fieldErrors: { email: "An account with this email already exists. Sign in instead." },
        values,
      };
    }
    if (error instanceof SignupRefusedError) return { formError: REFUSED[error.reason], values };
    throw error;
  }
  // Throws Next's redirect on success, which must propagate.
  await signIn("credentials", { email, password: parsed.data.password, redirectTo: AFTER_SIGN_IN });
  return {};
}

export async function signInAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const values = { email: formData.get("email") };
  const parsed = signInSchema.safeParse({
    email: formData.get("email"),
    password: formData.get("password"),
  });
  if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error), values };
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: sameOriginPath(formData.get("callbackUrl"), AFTER_SIGN_IN),
    });
  } catch (error) {
    if (
      error instanceof TooManyAttemptsError ||
      (error instanceof AuthError && (error as { code?: string }).code === "rate_limited")
    ) {
      return {
        formError: "Too many failed sign-in attempts. Wait 15 minutes and try again.",
        values,
      };
    }
    if (
      error instanceof AccountDisabledError ||
      (error instanceof AuthError && (error as { code?: string }).code === "account_disabled")
    ) {
      return { formError: "This account is disabled. Ask an administrator to enable it.", values };
    }
    if (error instanceof AuthError) return { formError: "Incorrect email or password.", values };
    throw error;
  }
  return {};
}

export async function signInWithOidcAction(): Promise<void> {
  await signIn("oidc", { redirectTo: AFTER_SIGN_IN });
}
