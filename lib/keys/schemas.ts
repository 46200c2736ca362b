import { z } from "zod";
import { plainString } from "@/lib/api/plain-text";
import { keyTypes } from "@/db/schema";
import { futureTime, isoTime, moneyString, positiveMoney } from "@/lib/api/common-schemas";
import { keyStatuses } from "./status";

/**
 * What crosses a boundary for keys, used by the /api/v1 routes, the dashboard's actions
 * and the OpenAPI document alike.
 */
export const keyName = plainString({ error: "Enter a name" })
  .trim()
  .min(1, "Enter a name")
  .max(64, "Name must be at most 64 characters");

export const createKeyBody = z.strictObject({
  name: keyName,
  type: z.enum(keyTypes).default("model_serving"),
  /** Omitted or null: a personal key. */
  team_id: z.uuid("Choose one of your teams").nullish(),
  spending_limit: positiveMoney.nullish(),
  expires_at: futureTime.nullish(),
});

export const updateKeyBody = z.strictObject({
  name: keyName.optional(),
  spending_limit: positiveMoney.nullable().optional(),
  expires_at: futureTime.nullable().optional(),
});

export const listKeysQuery = z.object({
  owner: z.union([z.literal("personal"), z.uuid()], { error: 'Use "personal" or the id of one of your teams' }).default("personal"),
  status: z.enum(keyStatuses).optional(),
  search: plainString().max(64).optional(),
});

export const keyUsageQuery = z.object({
  from: isoTime.transform((v) => new Date(v)).optional(),
  to: isoTime.transform((v) => new Date(v)).optional(),
});

export const keyObject = z.object({
  id: z.uuid(),
  name: z.string(),
  type: z.enum(keyTypes),
  display: z.string().meta({ description: "Prefix and last four characters, like mb_live_…a1b2" }),
  status: z.enum(keyStatuses),
  spend: moneyString,
  spending_limit: moneyString.nullable(),
  expires_at: isoTime.nullable(),
  team_id: z.uuid().nullable(),
  created_by: z.uuid(),
  created_at: isoTime,
  last_used_at: isoTime.nullable(),
  revoked_at: isoTime.nullable(),
});

export const createdKeyObject = keyObject.extend({
  key: z.string().meta({ description: "The full key. Shown only in this response; store it now." }),
});

export const keyListObject = z.object({ object: z.literal("list"), data: z.array(keyObject) });

export const keyUsageObject = z.object({
  key_id: z.uuid(),
  from: isoTime,
  to: isoTime,
  data: z.array(
    z.object({
      date: z.string(),
      requests: z.number().int(),
      prompt_tokens: z.number().int(),
      completion_tokens: z.number().int(),
      total_tokens: z.number().int(),
      spend: moneyString,
    }),
  ),
});

export type KeyObject = z.infer<typeof keyObject>;
