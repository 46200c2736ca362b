import { z } from "zod";
import { plainString } from "@/lib/core/plain-text";
import { teamRoles } from "@/db/schema";
import { isoTime } from "@/lib/core/common-schemas";
import { emailSchema } from "@/lib/users/schemas";

export const teamName = plainString({ error: "Enter a team name" })
  .trim()
  .min(1, "Enter a team name")
  .max(64, "Team name must be at most 64 characters");

export const createTeamBody = z.strictObject({ name: teamName });

export const addMemberBody = z.strictObject({
  email: emailSchema,
  role: z.enum(teamRoles).default("member"),
});

export const changeRoleBody = z.strictObject({ role: z.enum(teamRoles) });

export const teamObject = z.object({
  id: z.uuid(),
  name: z.string(),
  role: z.enum(teamRoles).meta({ description: "The caller's role in the team." }),
  member_count: z.number().int(),
  created_at: isoTime,
});

export const memberObject = z.object({
  user_id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(teamRoles),
  joined_at: isoTime,
});

/** The answer to adding a member: the same shape whether or not the email has an account. */
export const memberInviteObject = z.object({
  object: z.literal("team_invite"),
  email: z.string(),
  role: z.enum(teamRoles),
  invite_url: z.string().meta({
    description:
      "Shown once. An email without an account signs up and joins through it; an existing account has joined already and the link is spent.",
  }),
  expires_at: isoTime,
});

export const teamListObject = z.object({ object: z.literal("list"), data: z.array(teamObject) });
export const memberListObject = z.object({
  object: z.literal("list"),
  data: z.array(memberObject),
});

export const meObject = z.object({
  user: z.object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: z.enum(["admin", "user"]),
  }),
  teams: z.array(teamObject),
  key: z.object({ id: z.uuid(), name: z.string(), display: z.string() }).nullable(),
});
