"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import { getDb } from "@/db/client";
import { teamRoles } from "@/db/schema";
import { getSessionUser } from "@/lib/auth/session";
import { FieldError, ForbiddenError, NotFoundError } from "@/lib/errors/domain-errors";
import { env } from "@/lib/env";
import { fieldErrors, type FormState } from "@/lib/forms/form-state";
import { publicBaseUrl } from "@/lib/http/public-base-url";
import { revokeInvite } from "@/lib/invites/invites";
import { inviteUrl } from "@/lib/invites/invite-view";
import { addMember, changeMemberRole, removeMember } from "@/lib/teams/members";
import { addMemberBody, createTeamBody } from "@/lib/teams/schemas";
import { createTeam } from "@/lib/teams/teams";

const SIGNED_OUT = "Your session has ended. Sign in again.";

function revalidate() {
  revalidatePath("/settings/teams");
  revalidatePath("/settings/api-keys");
}

export async function createTeamAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const user = await getSessionUser();
  if (!user) return { formError: SIGNED_OUT };
  const parsed = createTeamBody.safeParse({ name: formData.get("name") ?? "" });
  if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error), values: { name: formData.get("name") } };
  await createTeam(await getDb(), { user, keyId: null }, parsed.data.name);
  revalidate();
  return { ok: true };
}

export interface AddMemberState extends FormState {
  /** The invite link, shown once. */
  inviteUrl?: string;
  email?: string;
}

export async function addMemberAction(_prev: AddMemberState, formData: FormData): Promise<AddMemberState> {
  const user = await getSessionUser();
  if (!user) return { formError: SIGNED_OUT };
  const values = { email: formData.get("email"), role: formData.get("role") };
  const parsed = addMemberBody.safeParse({ email: formData.get("email") ?? "", role: formData.get("role") ?? "member" });
  if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error), values };
  let added;
  try {
    added = await addMember(await getDb(), { user, keyId: null }, String(formData.get("team_id") ?? ""), parsed.data);
  } catch (error) {
    return { ...known(error), values };
  }
  revalidate();
  const base = publicBaseUrl(env().PUBLIC_URL, new Headers(await headers()));
  return { ok: true, email: added.email, inviteUrl: inviteUrl(base, added.token) };
}

export async function revokeInviteAction(inviteId: string): Promise<{ error?: string }> {
  const user = await getSessionUser();
  if (!user) return { error: SIGNED_OUT };
  if (typeof inviteId !== "string") return { error: "No such invite." };
  try {
    await revokeInvite(await getDb(), { user, keyId: null }, inviteId);
  } catch (error) {
    return { error: known(error).formError ?? "Could not revoke the invite." };
  }
  revalidate();
  return {};
}

const memberChange = z.object({ teamId: z.string(), userId: z.string(), role: z.enum(teamRoles) });

export async function changeRoleAction(teamId: string, userId: string, role: string): Promise<{ error?: string }> {
  const user = await getSessionUser();
  if (!user) return { error: SIGNED_OUT };
  const parsed = memberChange.safeParse({ teamId, userId, role });
  if (!parsed.success) return { error: "Choose admin or member." };
  try {
    await changeMemberRole(await getDb(), { user, keyId: null }, parsed.data.teamId, parsed.data.userId, parsed.data.role);
  } catch (error) {
    return { error: known(error).formError ?? Object.values(known(error).fieldErrors ?? {})[0] };
  }
  revalidate();
  return {};
}

export async function removeMemberAction(teamId: string, userId: string): Promise<{ error?: string; revokedKeys?: number }> {
  const user = await getSessionUser();
  if (!user) return { error: SIGNED_OUT };
  if (typeof teamId !== "string" || typeof userId !== "string") return { error: "No such member." };
  try {
    const { revokedKeys } = await removeMember(await getDb(), { user, keyId: null }, teamId, userId);
    revalidate();
    return { revokedKeys };
  } catch (error) {
    return { error: known(error).formError ?? Object.values(known(error).fieldErrors ?? {})[0] };
  }
}

function known(error: unknown): FormState {
  if (error instanceof FieldError) return { fieldErrors: { [error.field]: error.message } };
  if (error instanceof ForbiddenError) return { formError: error.message };
  if (error instanceof NotFoundError) return { formError: `No such ${error.what}. Refresh the page.` };
  throw error;
}
