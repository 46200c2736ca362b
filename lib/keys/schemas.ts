import { z } from "zod";
import { payloadCaptureInput, payloadCaptureObject } from "@/lib/requests/schemas";
import { plainString } from "@/lib/core/plain-text";
import { budgetPeriods, keyTypes } from "@/db/schema";
import { futureTime, isoTime, moneyString, positiveMoney } from "@/lib/core/common-schemas";
import { checkAllowlist } from "./ip-allowlist-errors";
import { keyStatuses } from "./status";

/**
 * What crosses a boundary for keys, used by the /api/v1 routes, the dashboard's actions
 * and the OpenAPI document alike.
 */
export const keyName = plainString({ error: "Enter a name" })
  .trim()
  .min(1, "Enter a name")
  .max(64, "Name must be at most 64 characters");

const perMinute = (what: string) =>
  z
    .number({ error: `Enter a whole number of ${what}` })
    .int(`Enter a whole number of ${what}`)
    .positive(`Enter a positive number of ${what}`)
    .max(1_000_000_000, `At most 1,000,000,000 ${what}`);

/** Null: all enabled models. Names as /v1 takes them; duplicates dropped. */
export const allowedModelsInput = z
  .array(
    plainString()
      .trim()
      .min(1, "Enter a model name")
      .max(128, "A model name is at most 128 characters"),
    { error: "Give a list of model names" },
  )
  .min(1, "Allow at least one model, or send null for all")
  .max(200, "At most 200 models")
  .transform((names) => [...new Set(names)])
  .meta({ description: "Model names this key may call; null for all." });

/** Each limit optional; null removes it. */
export const rateLimitsInput = z
  .strictObject({
    requests_per_minute: perMinute("requests").nullable().optional(),
    tokens_per_minute: perMinute("tokens").nullable().optional(),
    max_concurrent: perMinute("requests in flight").nullable().optional(),
  })
  .meta({
    description: "Per-key rate limits; a field left out is unchanged on PATCH, null removes it.",
  });

const AT_LEAST_ONE = "Allow at least one range, or send null for any address";
const AT_MOST = "At most 100 ranges";

/** The API's list: every bad entry named by its position (checkAllowlist). */
export const ipAllowlistInput = z
  .array(z.string({ error: "Enter CIDR ranges like 203.0.113.0/24 or 2001:db8::/32" }), {
    error: "Give a list of CIDR ranges",
  })
  .min(1, AT_LEAST_ONE)
  .max(100, AT_MOST)
  .transform((ranges, ctx) => {
    const checked = checkAllowlist(
      ranges.map((text, i) => ({ text, at: i + 1 })),
      "entry",
    );
    if (checked.ok) return checked.ranges;
    ctx.addIssue({ code: "custom", message: checked.message });
    return z.NEVER;
  })
  .meta({
    description: "CIDR ranges (IPv4 and IPv6) the key may be used from; null for any address.",
  });

/**
 * The dashboard's textarea, as its lines: a line may hold several ranges (comma or space
 * separated), and a bad one is named by its line, which is what the person can find.
 */
export const ipAllowlistLines = z
  .array(z.string())
  .transform((lines) =>
    lines.flatMap((line, i) =>
      line
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((text) => ({ text, at: i + 1 })),
    ),
  )
  .pipe(
    z
      .array(z.object({ text: z.string(), at: z.number() }))
      .min(1, AT_LEAST_ONE)
      .max(100, AT_MOST),
  )
  .transform((entries, ctx) => {
    const checked = checkAllowlist(entries, "line");
    if (checked.ok) return checked.ranges;
    ctx.addIssue({ code: "custom", message: checked.message });
    return z.NEVER;
  });

export const alertThresholdsInput = z
  .array(
    z
      .number()
      .int("Thresholds are whole percentages")
      .min(1, "A threshold is at least 1%")
      .max(100, "A threshold is at most 100%"),
    {
      error: "Give a list of percentages",
    },
  )
  .max(10, "At most 10 thresholds")
  .transform((values) => [...new Set(values)].sort((a, b) => a - b))
  .meta({
    description:
      "Percentages of the spending limit at which the owner is alerted (default 50, 80, 100).",
  });

export const budgetPeriodInput = z
  .enum(budgetPeriods)
  .meta({ description: "When the spend counted against the limit resets (UTC)." });

export const createKeyBody = z.strictObject({
  name: keyName,
  type: z.enum(keyTypes).default("model_serving"),
  /** Omitted or null: a personal key. */
  team_id: z.uuid("Choose one of your teams").nullish(),
  spending_limit: positiveMoney.nullish(),
  expires_at: futureTime.nullish(),
  allowed_models: allowedModelsInput.nullish(),
  rate_limits: rateLimitsInput.nullish(),
  budget_period: budgetPeriodInput.optional(),
  ip_allowlist: ipAllowlistInput.nullish(),
  alert_thresholds: alertThresholdsInput.optional(),
});

export const updateKeyBody = z.strictObject({
  name: keyName.optional(),
  spending_limit: positiveMoney.nullable().optional(),
  expires_at: futureTime.nullable().optional(),
  allowed_models: allowedModelsInput.nullable().optional(),
  rate_limits: rateLimitsInput.nullable().optional(),
  budget_period: budgetPeriodInput.optional(),
  ip_allowlist: ipAllowlistInput.nullable().optional(),
  alert_thresholds: alertThresholdsInput.optional(),
  payload_capture: payloadCaptureInput.optional(),
});

/** How long the old secret keeps working after a roll: none, 1 hour, 24 hours, 7 days. */
export const rollGracePeriods = [0, 3600, 86400, 604800] as const;
export type RollGraceSeconds = (typeof rollGracePeriods)[number];

export const rollKeyBody = z.strictObject({
  grace_period_seconds: z
    .literal(rollGracePeriods, { error: "Choose 0, 3600, 86400 or 604800 seconds" })
    .default(0)
    .meta({
      description:
        "How long the old secret keeps working: 0, 3600 (1 hour), 86400 (24 hours) or 604800 (7 days).",
    }),
});

export const listKeysQuery = z.object({
  owner: z
    .union([z.literal("personal"), z.uuid()], {
      error: 'Use "personal" or the id of one of your teams',
    })
    .default("personal"),
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
  spend: moneyString.meta({ description: "Lifetime spend." }),
  spending_limit: moneyString.nullable(),
  expires_at: isoTime.nullable(),
  team_id: z.uuid().nullable(),
  created_by: z.uuid(),
  created_at: isoTime,
  last_used_at: isoTime.nullable(),
  revoked_at: isoTime.nullable(),
  allowed_models: z
    .array(z.string())
    .nullable()
    .meta({ description: "Null: every enabled model." }),
  rate_limits: z.object({
    requests_per_minute: z.number().int().nullable(),
    tokens_per_minute: z.number().int().nullable(),
    max_concurrent: z.number().int().nullable(),
  }),
  budget_period: z.enum(budgetPeriods),
  period_spend: moneyString.meta({
    description: "Spend counted against the limit in the current period (lifetime spend for none).",
  }),
  period_resets_at: isoTime
    .nullable()
    .meta({ description: "When period_spend next resets; null for budget_period none." }),
  ip_allowlist: z.array(z.string()).nullable().meta({ description: "Null: any address." }),
  alert_thresholds: z.array(z.number().int()),
  payload_capture: payloadCaptureObject.meta({
    description:
      "This key's own payload capture setting (null: its team's or the instance's applies)",
  }),
  paused: z.boolean(),
  paused_at: isoTime.nullable(),
  rolled_at: isoTime.nullable().meta({ description: "When the secret was last rolled." }),
  previous_key_expires_at: isoTime.nullable().meta({
    description: "Until when the secret before the last roll still works (null: it does not).",
  }),
});

export const createdKeyObject = keyObject.extend({
  key: z.string().meta({ description: "The full key. Shown only in this response; store it now." }),
});

export const keyListObject = z.object({ object: z.literal("list"), data: z.array(keyObject) });

const refusalCodes = z.record(z.string(), z.number().int()).meta({
  description:
    "Refusals by /v1 error code: account_disabled, rate_limit_exceeded, limit_reached, key_paused, key_revoked, key_expired, key_rotated, model_not_allowed, ip_not_allowed, insufficient_balance, wrong_key_type.",
});

export const keyUsageObject = z.object({
  key_id: z.uuid(),
  from: isoTime,
  to: isoTime,
  refused: z.number().int().meta({ description: "Requests of this key refused in the range." }),
  refused_by_code: refusalCodes,
  data: z.array(
    z.object({
      date: z.string(),
      requests: z.number().int(),
      prompt_tokens: z.number().int(),
      completion_tokens: z.number().int(),
      total_tokens: z.number().int(),
      spend: moneyString,
      refused: z.number().int(),
    }),
  ),
  refusals: z
    .array(z.object({ date: z.string(), refused: z.number().int(), by_code: refusalCodes }))
    .meta({ description: "Refusals per UTC day (days with none are left out)." }),
});

export type KeyObject = z.infer<typeof keyObject>;
