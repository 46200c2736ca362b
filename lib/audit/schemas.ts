import { z } from "zod";
import { isoTime, uuidParam } from "@/lib/core/common-schemas";
import { plainString } from "@/lib/core/plain-text";

export const auditLogQuery = z.object({
  scope: z.enum(["mine", "all"]).optional().meta({
    description:
      "`all` (platform admins; their default) or `mine`: own actions and keys, and teams the caller administers",
  }),
  team_id: uuidParam.optional(),
  action: plainString()
    .max(64)
    .optional()
    .meta({ description: "An action (`key.roll`), or a prefix ending in a dot (`key.`)" }),
  target_type: plainString().max(32).optional(),
  target_id: plainString().max(64).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: plainString()
    .max(200)
    .optional()
    .meta({ description: "`next_cursor` of the previous page" }),
});

export const auditEntryObject = z.object({
  id: z.uuid(),
  action: z.string(),
  target_type: z.string(),
  target_id: z.string().nullable(),
  team_id: z.uuid().nullable(),
  actor: z.object({
    user_id: z.uuid().nullable(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    key_id: z.uuid().nullable(),
  }),
  details: z.record(z.string(), z.unknown()).nullable(),
  created_at: isoTime,
});

export const auditPageObject = z.object({
  object: z.literal("list"),
  data: z.array(auditEntryObject),
  next_cursor: z.string().nullable(),
});
