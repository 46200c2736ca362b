import { z } from "zod";

/**
 * Every environment variable ModelBridge reads, parsed once. A bad value stops the
 * process with a message naming the variable, instead of failing later somewhere deep.
 */
const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const intFromString = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

const flag = z
  .enum(["0", "1", "false", "true"])
  .default("0")
  .transform((v) => v === "1" || v === "true");

/**
 * Every variable, with the words docs/configuration.md and .env.example are generated from
 * (`npx tsx scripts/env-docs.ts`; a test fails when they differ from this schema).
 */
export const envSchema = z.object({
  NODE_ENV: z
    .enum(["development", "production", "test"])
    .default("development")
    .describe("`production` under `npm start`; set by the scripts, rarely by hand"),
  PORT: intFromString(3000, 1).describe("the port `npm start` listens on"),
  HOST: z.string().trim().min(1).default("0.0.0.0").describe("the address `npm start` listens on"),
  DATABASE_URL: optionalString
    .pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
        .optional(),
    )
    .describe("`postgres://…` switches from the embedded PGlite database to a Postgres server"),
  DATA_DIR: z
    .string()
    .trim()
    .min(1)
    .default(".data")
    .describe("PGlite's data, the generated secrets and the single-process lock"),
  AUTH_SECRET: optionalString
    .pipe(z.string().min(32, "must be at least 32 characters").optional())
    .describe(
      "signs session cookies (at least 32 characters); generated in `DATA_DIR/secrets` when unset, required in production with `DATABASE_URL`",
    ),
  ENCRYPTION_KEY: optionalString.describe(
    "32 bytes, base64: encrypts upstream credentials at rest; generated in `DATA_DIR/secrets` when unset (embedded database)",
  ),
  ENCRYPTION_KEY_PREVIOUS: optionalString.describe(
    "during a key rotation, the old key; `npx tsx scripts/rotate-encryption-key.ts` then re-encrypts every credential with `ENCRYPTION_KEY`",
  ),
  PUBLIC_URL: optionalString
    .pipe(z.url().optional())
    .describe(
      "the URL users reach this server at, shown in curl commands and snippets; unset: the request's origin",
    ),
  KEY_PREFIX: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9]{0,15}_$/, "must be lowercase letters/digits ending in '_', like mb_")
    .default("mb_")
    .describe("key prefix: keys look like `mb_live_…` and `mb_mgmt_…`"),
  MAX_ACTIVE_KEYS_PER_ACCOUNT: intFromString(50, 1).describe(
    "active keys a user's personal account or a team may hold",
  ),
  CURRENCY: z
    .string()
    .trim()
    .regex(/^[A-Z]{3}$/, "must be a 3-letter ISO 4217 code like AUD")
    .default("AUD")
    .describe("the one currency prices and limits are in (ISO 4217)"),
  OIDC_ISSUER: optionalString
    .pipe(z.url().optional())
    .describe("optional single sign-on: your OpenID Connect provider's issuer URL"),
  OIDC_CLIENT_ID: optionalString.describe(
    "single sign-on: the client id (required with `OIDC_ISSUER`)",
  ),
  OIDC_CLIENT_SECRET: optionalString.describe(
    "single sign-on: the client secret (required with `OIDC_ISSUER`)",
  ),
  OIDC_NAME: z
    .string()
    .trim()
    .default("Single sign-on")
    .describe("the sign-in button's label for single sign-on"),
  MAX_CONNECTIONS_PER_ADDRESS: intFromString(256).describe(
    "open connections one client address may hold (0: no cap; off behind `TRUST_PROXY`)",
  ),
  UPSTREAM_CONNECTIONS_PER_ORIGIN: intFromString(256, 1).describe(
    "connections each process keeps at most to one model server (origin); requests past that wait for one, at most the deployment's connect timeout",
  ),
  UPSTREAM_CONNECTION_SHARE: z.coerce
    .number()
    .int()
    .min(1)
    .max(100, "must be a percentage from 1 to 100")
    .default(50)
    .describe(
      "the percentage of those connections one key, and all the keys of one owner (a user or a team) together, may hold at once; a request past its share waits for one of its own to finish, then tries another deployment or gets 503 `upstream_busy`",
    ),
  HEADERS_TIMEOUT_MS: intFromString(10_000, 1000).describe(
    "a client that has not sent its request headers within this many ms is cut off (Node's default is 60 s)",
  ),
  TRUST_PROXY: z
    .string()
    .trim()
    .default("0")
    .transform((v) => (v === "true" ? "1" : v === "false" || v === "" ? "0" : v))
    .pipe(
      z
        .string()
        .regex(/^\d{1,2}$/, "must be the number of proxies in front of this server (0, 1, 2…)"),
    )
    .transform(Number)
    .describe(
      "the number of reverse proxies in front of the server (`1` for one nginx/Caddy/load balancer). The client address is the `X-Forwarded-For` entry that many hops from the right, and only then are `X-Forwarded-Host` / `X-Forwarded-Proto` believed. `true`/`false` still mean `1`/`0`. Too high a number lets clients choose their address; too low makes every client look like your proxy",
    ),
  AUTH_FAILURES_PER_WINDOW: intFromString(30, 1).describe(
    "bad keys one client address may send to `/v1` or `/api/v1` per window (IPv6 by /64, shared by all processes) before it is refused with 429",
  ),
  AUTH_FAILURE_WINDOW_SECONDS: intFromString(60, 1).describe(
    "the window `AUTH_FAILURES_PER_WINDOW` counts over, in seconds",
  ),
  ALLOW_LINK_LOCAL_UPSTREAMS: flag.describe(
    "`1` lets a model's base URL point at link-local or cloud metadata addresses (refused by default; loopback and private ranges are always allowed)",
  ),
  SIGNUP_MODE: optionalString
    .pipe(z.enum(["invite", "open", "closed"], "must be invite, open or closed").optional())
    .describe(
      "`invite`, `open` or `closed`: who may create an account after the first (who becomes the platform admin); when set it wins over Admin → Settings. Under single sign-on, new accounts are created only when it is `open`",
    ),
  SIGNUP_ATTEMPTS_PER_HOUR: intFromString(10, 1).describe(
    "sign-up attempts one client address (IPv6: one /64) may make per hour, shared by all processes",
  ),
  METRICS_TOKEN: optionalString.describe("`/metrics` answers only `Authorization: Bearer <this>`"),
  METRICS_PUBLIC: flag.describe("`1` opens `/metrics` to anyone who reaches it, without the token"),
  LOG_LEVEL: z
    .enum(["debug", "info", "warn", "error", "silent"])
    .default("info")
    .describe("`debug`, `info`, `warn`, `error` or `silent`"),
  LOG_FORMAT: z
    .enum(["json", "pretty"])
    .default("json")
    .describe(
      "`json`: one JSON line per event, for a log collector (the default); `pretty`: one short readable line per event, for a terminal. Both carry `trace_id`/`span_id` on a traced request's lines",
    ),
  // OpenTelemetry: the standard variables (opentelemetry.io's SDK configuration), read by
  // lib/telemetry/tracing-settings.ts. Tracing is off, at no cost, without an endpoint.
  OTEL_SDK_DISABLED: flag.describe("`true` turns tracing off even with an endpoint set"),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalString
    .pipe(z.url().optional())
    .describe(
      "OpenTelemetry: the collector's OTLP/HTTP base URL (`http://collector:4318`); spans go to `<this>/v1/traces`. Unset, with no traces endpoint: no tracing at all",
    ),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalString
    .pipe(z.url().optional())
    .describe(
      "the full URL spans are sent to (wins over `OTEL_EXPORTER_OTLP_ENDPOINT`, used as given: Langfuse's `…/api/public/otel/v1/traces`)",
    ),
  OTEL_EXPORTER_OTLP_HEADERS: optionalString.describe(
    "headers sent with every export, `name=value,name2=value2` (values URL-encoded): a backend's API key goes here. Never logged",
  ),
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: optionalString.describe(
    "as `OTEL_EXPORTER_OTLP_HEADERS`, for traces only; a name in both takes this value",
  ),
  OTEL_EXPORTER_OTLP_PROTOCOL: z
    .enum(["http/protobuf", "http/json"], "must be http/protobuf or http/json (gRPC is not served)")
    .default("http/protobuf")
    .describe("`http/protobuf` (the default) or `http/json`; OTLP over gRPC is not offered"),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: optionalString
    .pipe(
      z
        .enum(
          ["http/protobuf", "http/json"],
          "must be http/protobuf or http/json (gRPC is not served)",
        )
        .optional(),
    )
    .describe("as `OTEL_EXPORTER_OTLP_PROTOCOL`, for traces only"),
  OTEL_EXPORTER_OTLP_TIMEOUT: intFromString(10_000, 1).describe(
    "how long one export may take, in ms; a collector that does not answer costs an export, never a request",
  ),
  OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: optionalString
    .transform((v) => (v === undefined ? undefined : Number(v)))
    .pipe(z.number("must be a number").int().min(1).optional())
    .describe("as `OTEL_EXPORTER_OTLP_TIMEOUT`, for traces only"),
  OTEL_EXPORTER_OTLP_COMPRESSION: z
    .enum(["none", "gzip"])
    .default("none")
    .describe("`gzip` compresses each export"),
  OTEL_SERVICE_NAME: z
    .string()
    .trim()
    .min(1)
    .default("modelbridge")
    .describe("`service.name` on every span"),
  OTEL_RESOURCE_ATTRIBUTES: optionalString.describe(
    "more resource attributes on every span, `key=value,key2=value2` (`deployment.environment.name=prod`)",
  ),
  OTEL_TRACES_SAMPLER: z
    .enum([
      "always_on",
      "always_off",
      "traceidratio",
      "parentbased_always_on",
      "parentbased_always_off",
      "parentbased_traceidratio",
    ])
    .default("parentbased_always_on")
    .describe(
      "which requests are traced: `parentbased_always_on` (the default: all, and a client's unsampled `traceparent` is respected), `parentbased_traceidratio` with `OTEL_TRACES_SAMPLER_ARG`, `always_on`, `always_off`, `traceidratio`, `parentbased_always_off`",
    ),
  OTEL_TRACES_SAMPLER_ARG: optionalString
    .transform((v) => (v === undefined ? undefined : Number(v)))
    .pipe(z.number("must be a number").min(0).max(1).optional())
    .describe("the ratio for the `traceidratio` samplers, 0 to 1 (default 1)"),
  OTEL_TRACES_EXPORTER: z
    .enum(["otlp", "none"], "must be otlp or none")
    .default("otlp")
    .describe("`none` turns tracing off"),
  OTEL_BSP_SCHEDULE_DELAY: intFromString(5000, 1).describe(
    "spans are exported in batches at most this many ms apart",
  ),
  OTEL_BSP_MAX_QUEUE_SIZE: intFromString(2048, 1).describe(
    "spans waiting for export past this many are dropped (the bound on memory when the collector is down)",
  ),
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: intFromString(512, 1).describe("spans per export at most"),
  OTEL_BSP_EXPORT_TIMEOUT: intFromString(30_000, 1).describe(
    "how long the batch processor waits for one export before it moves on, in ms",
  ),
  REDIS_URL: optionalString
    .pipe(
      z
        .string()
        .regex(/^rediss?:\/\//, "must start with redis:// or rediss://")
        .optional(),
    )
    .describe(
      "`redis://…`: per-key rate limits are counted in this Redis, shared by every process using it. Unset: they are counted in the database, each process leasing slices of a key's minute",
    ),
  SERVE: z
    .enum(["all", "gateway"])
    .default("all")
    .describe(
      "`gateway` makes a process that serves only `/v1`, `/healthz`, `/readyz` and `/metrics` and never loads Next.js, for extra `/v1` processes beside an `all` process on the same Postgres (`DATABASE_URL` required)",
    ),
  WEB_CONCURRENCY: optionalString
    .pipe(
      z
        .string()
        .regex(/^([1-9]\d{0,2}|auto)$/, "must be a number of processes (1, 2, …) or auto")
        .transform((v) => (v === "auto" ? ("auto" as const) : Number(v)))
        .optional(),
    )
    .describe(
      "with `DATABASE_URL`, how many processes `npm start` runs on its port: a number, or `auto` (unset) for one per core. The embedded database is always one process",
    ),
  // The gateway's own settings (lib/gateway/config.ts), with defaults that suit a single box.
  GATEWAY_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(8 * 1024 * 1024)
    .describe(
      "the largest request body `/v1` and Gemini's `/v1beta` accept, in bytes (default 8 MiB); a larger one is refused with 413 before it is read",
    ),
  GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(32 * 1024 * 1024)
    .describe("the largest non-streamed answer read from an upstream, in bytes"),
  GATEWAY_ECHO_PACE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(15)
    .describe("milliseconds between the demo model's streamed words"),
  GATEWAY_RESERVATION_WAIT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(10_000)
    .describe(
      "how long a request waits for in-flight requests of its key to settle and free budget",
    ),
  GATEWAY_USAGE_FLUSH_MS: z.coerce
    .number()
    .int()
    .min(10)
    .default(1000)
    .describe("how often buffered request records are written, in milliseconds"),
  GATEWAY_USAGE_COMMIT: z
    .enum(["durable", "batched"])
    .default("batched")
    .describe(
      "batched: usage rows and spend are written every GATEWAY_USAGE_FLUSH_MS, so a process killed with SIGKILL loses up to that much; durable: an answer that costs money ends only after its usage row and spend are committed (no charge lost, but a few milliseconds and a transaction per answer: docs/scaling.md)",
    ),
  GATEWAY_USAGE_COMMIT_WAIT_MS: z.coerce
    .number()
    .int()
    .min(1)
    .max(60_000)
    .default(2000)
    .describe(
      "durable commits: the longest an answer's end waits for its usage row to commit before it is sent anyway",
    ),
  PAYLOAD_CAPTURE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(256)
    .max(16 * 1024 * 1024)
    .default(65536)
    .describe(
      "payload capture: the most bytes kept of each request and response body (longer ones are cut and marked truncated)",
    ),
  PAYLOAD_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(7)
    .describe("payload capture: captured payloads older than this many days are purged"),
  GATEWAY_LEASE_TTL_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(30_000)
    .describe(
      "how long a process's share of a key's budget outlives the process if it crashes: another process gives it back to the key after this",
    ),
  GATEWAY_ABORT_GRACE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(5000)
    .describe(
      "after a client leaves a non-streamed request, how long its upstream may finish so that its usage is charged; past it the upstream is aborted and the prompt's estimate is charged (recorded as 499)",
    ),
});

export type Env = z.infer<typeof envSchema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.message}`,
    );
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  const env = result.data;
  if (env.OIDC_ISSUER && !(env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET)) {
    throw new Error(
      "Invalid environment configuration:\n  OIDC_CLIENT_ID / OIDC_CLIENT_SECRET: required when OIDC_ISSUER is set",
    );
  }
  if (env.SERVE === "gateway" && !env.DATABASE_URL) {
    throw new Error(
      "Invalid environment configuration:\n  SERVE: 'gateway' needs DATABASE_URL: a gateway-only process shares a Postgres server with a process that serves the dashboard (the embedded database allows one process)",
    );
  }
  if (env.NODE_ENV === "production" && env.DATABASE_URL && !env.AUTH_SECRET) {
    throw new Error(
      "Invalid environment configuration:\n  AUTH_SECRET: required in production with DATABASE_URL (generate one with `openssl rand -base64 33`)",
    );
  }
  return env;
}

let cached: Env | undefined;

/** The parsed environment. Read lazily so that `next build` never needs a runtime config. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}

/**
 * The failed-key limiter's two settings, read at each limiter's creation (tests create
 * limiters with their own values): the same schema as env(), without its cache.
 */
export function authFailureSettings(source: Record<string, string | undefined> = process.env) {
  return envSchema
    .pick({ AUTH_FAILURES_PER_WINDOW: true, AUTH_FAILURE_WINDOW_SECONDS: true })
    .parse(source);
}

/** The OpenTelemetry variables, read at each tracer's creation (tests pass their own). */
export function telemetrySettings(source: Record<string, string | undefined> = process.env) {
  return envSchema
    .pick({
      OTEL_SDK_DISABLED: true,
      OTEL_EXPORTER_OTLP_ENDPOINT: true,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: true,
      OTEL_EXPORTER_OTLP_HEADERS: true,
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: true,
      OTEL_EXPORTER_OTLP_PROTOCOL: true,
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: true,
      OTEL_EXPORTER_OTLP_TIMEOUT: true,
      OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: true,
      OTEL_EXPORTER_OTLP_COMPRESSION: true,
      OTEL_SERVICE_NAME: true,
      OTEL_RESOURCE_ATTRIBUTES: true,
      OTEL_TRACES_SAMPLER: true,
      OTEL_TRACES_SAMPLER_ARG: true,
      OTEL_TRACES_EXPORTER: true,
      OTEL_BSP_SCHEDULE_DELAY: true,
      OTEL_BSP_MAX_QUEUE_SIZE: true,
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: true,
      OTEL_BSP_EXPORT_TIMEOUT: true,
    })
    .parse(source);
}

export type TelemetryEnv = ReturnType<typeof telemetrySettings>;
