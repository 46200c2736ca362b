import { z } from "zod";
import { isoTime, moneyString } from "@/lib/core/common-schemas";
import { resolveRange, type UsageRange } from "./range";

/**
 * What crosses a boundary for usage: the query of `GET /api/v1/usage`, of the CSV export and
 * of the Usage page (all three take the same filters), and the JSON the API returns.
 */
const instant = z.string().max(40, "Enter a date like 2026-05-01 or an ISO 8601 time").meta({
  description:
    "A day (`2026-05-01`; as `to` it means through the end of that day) or an ISO 8601 time.",
});

export const usageFilterShape = {
  owner: z
    .union([z.literal("personal"), z.uuid()], {
      error: 'Use "personal" or the id of one of your teams',
    })
    .default("personal")
    .meta({
      description: '"personal" or a team id. Team admins see every team key; members their own.',
    }),
  key_id: z
    .uuid("Use the id of a key you can see")
    .optional()
    .meta({ description: "Only this key (its owner is implied)." }),
  range: z
    .enum(["7", "30", "90"], { error: "Use 7, 30 or 90 (days)" })
    .optional()
    .meta({ description: "The last 7, 30 or 90 days (UTC, today included); wins over from/to." }),
  from: instant.optional(),
  to: instant.optional(),
};

/** The filters, with the range resolved to instants (30 days by default). */
export function usageFilterQuery(now: () => Date = () => new Date()) {
  return z.object(usageFilterShape).transform((query, ctx) => {
    const resolved = resolveRange(query, now());
    if (!resolved.ok) {
      ctx.addIssue({ code: "custom", path: [resolved.param], message: resolved.message });
      return z.NEVER;
    }
    return { owner: query.owner, keyId: query.key_id, range: resolved.range as UsageRange };
  });
}

const totals = {
  requests: z.number().int(),
  errors: z.number().int().meta({ description: "Requests answered with a 4xx or 5xx status." }),
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  total_tokens: z.number().int(),
  spend: moneyString,
};

export const balanceObject = z.object({
  period: z.string().meta({ description: "The calendar month (UTC), like 2026-05." }),
  included_monthly: moneyString,
  included_used: moneyString,
  included_left: moneyString,
  prepaid_left: moneyString,
  overage_this_month: moneyString,
  overage_enabled: z.boolean(),
  blocked: z.boolean().meta({
    description: "Overage is off and nothing is left: /v1 answers 402 insufficient_balance.",
  }),
});

export const usageObject = z.object({
  owner: z.string(),
  key_id: z.uuid().nullable(),
  from: isoTime,
  to: isoTime,
  totals: z.object(totals),
  data: z.array(z.object({ date: z.string(), ...totals })),
  by_key: z.array(
    z.object({
      key_id: z.uuid(),
      name: z.string(),
      display: z.string(),
      revoked: z.boolean(),
      ...totals,
    }),
  ),
  by_model: z.array(z.object({ model: z.string(), ...totals })),
  balance: balanceObject.nullable().meta({
    description: "The owner's balance; null for a team member (only team admins see it).",
  }),
});

export type UsageObject = z.infer<typeof usageObject>;
