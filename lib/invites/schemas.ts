import { z } from "zod";
import { teamRoles } from "@/db/schema";
import { isoTime, uuidParam } from "@/lib/core/common-schemas";
import { emailSchema } from "@/lib/users/schemas";

export const createInviteBody = z.strictObject({
  email: emailSchema,
  team_id: uuidParam.optional().meta({
    description: "Invite to this team (its admins); without it, to the install (platform admins).",
  }),
  role: z
    .enum(teamRoles)
    .default("member")
    .meta({ description: "The role in the team, with team_id." }),
});

export const inviteObject = z.object({
  id: z.uuid(),
  email: z.string(),
  team_id: z.uuid().nullable(),
  team_name: z.string().nullable(),
  role: z.enum(teamRoles),
  invited_by: z.string(),
  created_at: isoTime,
  expires_at: isoTime,
});

export const createdInviteObject = inviteObject.extend({
  invite_url: z
    .string()
    .meta({ description: "The link, shown only here: single use, expires in 7 days." }),
});

export const inviteListObject = z.object({
  object: z.literal("list"),
  data: z.array(inviteObject),
});

export const listInvitesQuery = z.object({ team_id: uuidParam.optional() });
