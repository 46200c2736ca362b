"use server";

import { z } from "zod";
import { signIn, signOut } from "@/lib/auth";
import { formAction } from "@/lib/actions/authed-action";
import { changePassword } from "@/lib/auth/change-password";
import { getSessionActor } from "@/lib/auth/session";
import { endAllSessions } from "@/lib/auth/session-user";
import { getDatabase } from "@/db/client";
import type { FormState } from "@/lib/forms/form-state";
import { newPasswordSchema } from "@/lib/users/schemas";
import { profileBody, updateProfile } from "@/lib/users/update-profile";

export interface ProfileState extends FormState {
  /** What the form says after a save. */
  saved?: string;
}

/** Name and email; a taken email is refused next to the field (lib/users/update-profile.ts). */
export const updateProfileAction = formAction<typeof profileBody, ProfileState>(
  {
    input: profileBody,
    read: (formData) => ({ name: formData.get("name") ?? "", email: formData.get("email") ?? "" }),
    keep: ["name", "email"],
    revalidate: ["/settings/account"],
  },
  async ({ db, actor, input }) => {
    const changed = await updateProfile(db, actor, input);
    const saved =
      changed.length === 0
        ? "Nothing to save: the name and email are as they were."
        : changed.length === 2
          ? "Name and email saved."
          : changed[0] === "name"
            ? "Name saved."
            : "Email saved. Sign in with it from now on.";
    return { ok: true, saved };
  },
);

const changePasswordForm = z.object({
  current_password: z.string().min(1, "Enter your current password").max(200),
  new_password: newPasswordSchema,
});

/** Changes the password and ends every session; this browser gets a fresh one at once. */
export const changePasswordAction = formAction(
  {
    input: changePasswordForm,
    read: (formData) => ({
      current_password: formData.get("current_password"),
      new_password: formData.get("new_password"),
    }),
  },
  async ({ db, actor, input }) => {
    await changePassword(db, actor.user.id, input.current_password, input.new_password);
    // Throws Next's redirect, which must propagate (the wrapper rethrows what is not a domain error).
    await signIn("credentials", {
      email: actor.user.email,
      password: input.new_password,
      redirectTo: "/settings/account?changed=1",
    });
  },
);

/**
 * Ends every session of this user on every device, this one included. Clearing the cookie
 * is not enough: a copy of the token would work for its whole life. Bumping the user's
 * session version ends it on the server (the version is per user, not per device).
 */
export async function signOutEverywhereAction(): Promise<void> {
  const actor = await getSessionActor();
  if (actor) await endAllSessions((await getDatabase()).db, actor.user.id);
  await signOut({ redirectTo: "/login" });
}
