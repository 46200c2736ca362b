import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getDatabase } from "@/db/client";
import { users } from "@/db/schema";
import { getSessionUser } from "@/lib/auth/session";
import { findUsableInvite } from "@/lib/invites/invites";
import { getSignupSettings } from "@/lib/settings/signup-settings";
import { SignupForm } from "./signup-form";

export const metadata: Metadata = { title: "Create account" };
export const dynamic = "force-dynamic";

/**
 * Sign-up follows the install's mode: the form shows for the first account, for anyone
 * under open sign-up, and for the holder of a usable invite link under invite-only. The
 * server action checks all of it again: this page only avoids a form that cannot succeed.
 */
export default async function SignupPage({
  searchParams,
}: {
  searchParams: Promise<{ invite?: string | string[] }>;
}) {
  if (await getSessionUser()) redirect("/settings/api-keys");
  const { invite: inviteParam } = await searchParams;
  const token = typeof inviteParam === "string" ? inviteParam : undefined;
  const { db } = await getDatabase();
  const [anyone] = await db.select({ id: users.id }).from(users).limit(1);
  const { signupMode } = await getSignupSettings(db);
  const invite = token ? await findUsableInvite(db, token) : null;

  let refusal: string | null = null;
  if (anyone) {
    if (signupMode === "closed")
      refusal = "Sign-up is closed on this server. Ask an administrator for an account.";
    else if (token && !invite)
      refusal =
        "This invite link has expired, was revoked or has already been used. Ask for a new one.";
    else if (!invite && signupMode === "invite")
      refusal =
        "Sign-up is by invitation only. Ask an administrator or a team admin for an invite link.";
  }

  return (
    <>
      <h1 className="text-xl font-semibold">Create your account</h1>
      {!anyone ? (
        <p className="mt-1 text-sm text-zinc-600">
          The first account on a new install becomes its administrator.
        </p>
      ) : invite ? (
        <p className="mt-1 text-sm text-zinc-600">
          You were invited{invite.teamName ? ` to the team ${invite.teamName}` : ""}. Create your
          account to accept.
        </p>
      ) : null}
      {refusal ? (
        <p
          role="alert"
          className="mt-6 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
        >
          {refusal}
        </p>
      ) : (
        <SignupForm invite={invite && token ? { token, email: invite.email } : undefined} />
      )}
      <p className="mt-6 text-center text-sm text-zinc-600">
        Already have an account?{" "}
        <Link href="/login" className="font-medium text-brand-600 hover:underline">
          Sign in
        </Link>
      </p>
    </>
  );
}
