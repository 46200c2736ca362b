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
  /** The invite link, shown once. */
  inviteUrl?: string;
  email?: string;
}

const addMemberForm = addMemberBody.extend({ team_id: z.string() });

export const addMemberAction = formAction<typeof addMemberForm, AddMemberState>(
  {
    input: addMemberForm,
    read: (formData) => ({
      email: formData.get("email") ?? "",
      role: formData.get("role") ?? "member",
      team_id: String(formData.get("team_id") ?? ""),
    }),
    keep: ["email", "role"],
    revalidate: PAGES,
  },
  async ({ db, actor, input }) => {
    const { team_id: teamId, ...member } = input;
    const added = await addMember(db, actor, teamId, member);
    const base = publicBaseUrl(env().PUBLIC_URL, new Headers(await headers()));
    return { ok: true, email: added.email, inviteUrl: inviteUrl(base, added.token) };
  },
);

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
