import { z } from "zod";
import { isoTime, moneyString, positiveMoney, uuidParam } from "@/lib/core/common-schemas";
import { plainString } from "@/lib/core/plain-text";

/**
 * What crosses a boundary for the request explorer: the query of `GET /api/v1/requests`
 * (and of the Requests pages, which take the same filters), and the JSON it answers.
 */
export const STATUS_FILTERS = ["success", "error", "4xx", "5xx"] as const;

export const listRequestsQuery = z.object({
  scope: z.enum(["mine", "all"]).optional().meta({
    description:
      "`all` (platform admins; their default): every request. `mine`: the caller's own keys' requests and, for teams, what the caller may see of the team's usage (admins: every team key; members: the keys they created)",
  }),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  key_id: uuidParam.optional(),
  team_id: uuidParam.optional(),
  user_id: uuidParam.optional().meta({ description: "Requests of keys this user created" }),
  model: plainString().max(200).optional().meta({ description: "The model that answered" }),
  deployment_id: uuidParam.optional(),
  endpoint: plainString()
    .max(64)
    .optional()
    .meta({ description: "`chat.completions`, `responses`, `messages`, `embeddings`…" }),
  status: z
    .union([z.enum(STATUS_FILTERS), z.string().regex(/^[1-5]\d\d$/, "Use a status like 429")])
    .optional()
    .meta({ description: "`success`, `error`, `4xx`, `5xx` or one HTTP status (`429`)" }),
  error_code: plainString().max(64).optional(),
  streamed: z.enum(["true", "false"]).optional(),
  min_latency_ms: z.coerce.number().int().min(0).max(86_400_000).optional(),
  min_cost: positiveMoney.optional(),
  request_id: plainString()
    .max(100)
    .optional()
    .meta({ description: "A request id (`x-request-id`), or its beginning" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: plainString()
    .max(200)
    .optional()
    .meta({ description: "`next_cursor` of the previous page" }),
});

export type ListRequestsQuery = z.output<typeof listRequestsQuery>;

const keyRef = z.object({ id: z.uuid(), name: z.string(), display: z.string() }).nullable();

export const requestSummaryObject = z.object({
  object: z.literal("request"),
  id: z.uuid(),
  request_id: z.string(),
  created_at: isoTime,
  key: keyRef,
  user_id: z.uuid().nullable(),
  team_id: z.uuid().nullable(),
  model: z.string().meta({ description: "The model that answered (or the last one tried)" }),
  endpoint: z.string(),
  streamed: z.boolean(),
  status: z.number().int(),
  error_code: z.string().nullable(),
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  cost: moneyString,
  latency_ms: z.number().int(),
  attempt_count: z.number().int().meta({ description: "Upstream attempts made" }),
  payload_captured: z.boolean(),
});

export const requestListObject = z.object({
  object: z.literal("list"),
  data: z.array(requestSummaryObject),
  next_cursor: z.string().nullable(),
});

const attemptObject = z.object({
  deployment_id: z.string(),
  model: z.string(),
  outcome: z.string().meta({
    description:
      "`ok`, or why the next deployment was tried: `server_error`, `rate_limited`, `silent`, `unreachable`…",
  }),
  status: z.number().int().nullable(),
  ttfb_ms: z.number().int().nullable(),
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
});

const costLine = z.object({
  kind: z.enum(["input", "cached_input", "cache_write", "output"]),
  tokens: z.number().int(),
  price_per_million: moneyString,
});

export const payloadObject = z.object({
  request_headers: z.record(z.string(), z.string()),
  request_body: z.string().nullable(),
  request_truncated: z.boolean(),
  response_body: z.string().nullable(),
  response_truncated: z.boolean(),
  captured_at: isoTime,
});

export const requestDetailObject = requestSummaryObject.extend({
  team: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  user: z.object({ id: z.uuid(), name: z.string(), email: z.string() }).nullable(),
  model_asked: z.string(),
  model_answered: z.string().nullable(),
  deployment: z
    .object({ id: z.uuid(), provider: z.string().nullable() })
    .nullable()
    .meta({ description: "The deployment that answered; null when none did" }),
  attempts: z.array(attemptObject).meta({ description: "Every upstream attempt, in order" }),
  timings: z.object({
    queue_ms: z.number().int().nullable().meta({
      description:
        "From arrival until the attempt that answered began: checks, limits, waiting for a deployment, and any failed attempts before it",
    }),
    ttfb_ms: z.number().int().nullable(),
    upstream_ms: z.number().int().nullable(),
    total_ms: z.number().int(),
    tokens_per_second: z.number().nullable().meta({
      description: "Output tokens over the time from the first byte to the end",
    }),
  }),
  tokens: z.object({
    prompt: z.number().int(),
    completion: z.number().int(),
    cached_input: z.number().int(),
    cache_write: z.number().int(),
    total: z.number().int(),
  }),
  cost_detail: z.object({
    amount: moneyString,
    source: z.enum(["upstream", "estimate", "none"]).meta({
      description:
        "`upstream`: tokens the upstream reported; `estimate`: counted here; `none`: not charged",
    }),
    lines: z.array(costLine).meta({
      description:
        "Tokens by kind × the answering model's prices today (the model may have been repriced since)",
    }),
  }),
  client: z.object({ ip: z.string().nullable(), user_agent: z.string().nullable() }),
  payload: payloadObject.nullable(),
});

export type RequestSummaryObject = z.output<typeof requestSummaryObject>;
export type RequestDetailObject = z.output<typeof requestDetailObject>;

/**
 * Payload capture as an admin sets it on a key, a team or the instance (lib/requests/
 * capture-settings.ts), and as the API shows it.
 */
export const payloadCaptureInput = z
  .strictObject({
    enabled: z.boolean(),
    sample_rate: z
      .number()
      .min(0, "Use a share between 0 and 1")
      .max(1, "Use a share between 0 and 1")
      .default(1)
      .meta({ description: "Share of requests captured, 0–1 (default 1: all)" }),
  })
  .nullable()
  .meta({
    description:
      "Platform admins only. `{enabled, sample_rate}`; null inherits (key → team → instance)",
  });

export const payloadCaptureObject = z
  .object({ enabled: z.boolean(), sample_rate: z.number() })
  .nullable();

export type PayloadCaptureInput = z.output<typeof payloadCaptureInput>;

/** `PATCH /api/v1/teams/{id}` (platform admins): the team's payload capture. */
export const teamPatchBody = z.strictObject({ payload_capture: payloadCaptureInput });
