"use server";

import { headers } from "next/headers";
import { z } from "zod";
import { teamRoles } from "@/db/schema";
import { authedAction, formAction } from "@/lib/actions/authed-action";
import { env } from "@/lib/env";
import type { FormState } from "@/lib/forms/form-state";
import { publicBaseUrl } from "@/lib/http/public-base-url";
import { revokeInvite } from "@/lib/invites/invites";
import { inviteUrl } from "@/lib/invites/invite-view";
import { addMember, changeMemberRole, removeMember } from "@/lib/teams/members";
import { addMemberBody, createTeamBody } from "@/lib/teams/schemas";
import { deleteTeam, renameTeam } from "@/lib/teams/team-lifecycle";
import { createTeam } from "@/lib/teams/teams";

/** Team changes show on the teams page and in the API keys page's owner choices. */
const PAGES = ["/settings/teams", "/settings/api-keys"];

export const createTeamAction = formAction(
  {
    input: createTeamBody,
    read: (formData) => ({ name: formData.get("name") ?? "" }),
    keep: ["name"],
    revalidate: PAGES,
  },
  async ({ db, actor, input }) => {
    await createTeam(db, actor, input.name);
  },
);

export interface AddMemberState extends FormState {
  /** The invite link, shown once (only for an email without an account). */
  inviteUrl?: string;
  email?: string;
  /** The account that joined at once, when the email had one. */
  joinedName?: string;
  role?: string;
  /** The email was invited already: the form offers to resend. */
  alreadyInvited?: boolean;
}

const addMemberForm = addMemberBody.extend({
  team_id: z.string(),
  resend: z.enum(["1"]).optional(),
});

export const addMemberAction = formAction<typeof addMemberForm, AddMemberState>(
  {
    input: addMemberForm,
    read: (formData) => ({
      email: formData.get("email") ?? "",
      role: formData.get("role") ?? "member",
      team_id: String(formData.get("team_id") ?? ""),
      resend: formData.get("resend") ?? undefined,
    }),
    keep: ["email", "role"],
    revalidate: PAGES,
  },
  async ({ db, actor, input }) => {
    const { team_id: teamId, resend, ...member } = input;
    const added = await addMember(db, actor, teamId, member, resend ? "resend" : "refuse");
    // An existing account joined at once: its (spent) link would only say "expired".
    if (added.joined)
      return { ok: true, email: added.email, joinedName: added.name, role: added.role };
    const base = publicBaseUrl(env().PUBLIC_URL, new Headers(await headers()));
    return { ok: true, email: added.email, inviteUrl: inviteUrl(base, added.token) };
  },
);

export const renameTeamAction = formAction(
  {
    input: createTeamBody.extend({ team_id: z.string() }),
    read: (formData) => ({
      name: formData.get("name") ?? "",
      team_id: String(formData.get("team_id") ?? ""),
    }),
    keep: ["name"],
    revalidate: PAGES,
  },
  async ({ db, actor, input }) => {
    await renameTeam(db, actor, input.team_id, input.name);
  },
);

const removeTeam = authedAction(
  { input: z.string(), invalid: "No such team.", revalidate: PAGES },
  async ({ db, actor, input }) => deleteTeam(db, actor, input),
);

export async function deleteTeamAction(teamId: string) {
  return removeTeam(teamId);
}

const revokeTeamInvite = authedAction(
  { input: z.string(), invalid: "No such invite.", revalidate: PAGES },
  async ({ db, actor, input }) => {
    await revokeInvite(db, actor, input);
    return {};
  },
);

export async function revokeInviteAction(inviteId: string) {
  return revokeTeamInvite(inviteId);
}

const changeRole = authedAction(
  {
    input: z.object({ teamId: z.string(), userId: z.string(), role: z.enum(teamRoles) }),
    invalid: "Choose admin or member.",
    revalidate: PAGES,
  },
  async ({ db, actor, input }) => {
    await changeMemberRole(db, actor, input.teamId, input.userId, input.role);
    return {};
  },
);

export async function changeRoleAction(teamId: string, userId: string, role: string) {
  return changeRole({ teamId, userId, role: role as (typeof teamRoles)[number] });
}

const removeTeamMember = authedAction(
  {
    input: z.object({ teamId: z.string(), userId: z.string() }),
    invalid: "No such member.",
    revalidate: PAGES,
  },
  async ({ db, actor, input }) => removeMember(db, actor, input.teamId, input.userId),
);

export async function removeMemberAction(teamId: string, userId: string) {
  return removeTeamMember({ teamId, userId });
}
