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

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** postgres://… switches from the embedded PGlite database to a Postgres server. */
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
      .optional(),
  ),
  /**
   * redis://… (or rediss://…): per-key rate limits are counted in Redis, shared by every
   * process that uses it. Without it they are counted in Postgres through leased slices.
   */
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, "must start with redis:// or rediss://")
      .optional(),
  ),
  /** Where PGlite keeps its data, the generated secrets and the lock. */
  DATA_DIR: z.string().trim().min(1).default(".data"),
  PORT: intFromString(3000, 1),
  HOST: z.string().trim().min(1).default("0.0.0.0"),
  /** The URL users reach this server at; shown in curl commands. Defaults to the request's origin. */
  PUBLIC_URL: optionalString.pipe(z.url().optional()),
  AUTH_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  /** Key for encrypting upstream credentials at rest (32 bytes, base64). Generated on PGlite. */
  ENCRYPTION_KEY: optionalString,
  /** The key being rotated away from (lib/models/rotate-credentials.ts), until every credential is re-encrypted. */
  ENCRYPTION_KEY_PREVIOUS: optionalString,
  KEY_PREFIX: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9]{0,15}_$/, "must be lowercase letters/digits ending in '_', like mb_")
    .default("mb_"),
  MAX_ACTIVE_KEYS_PER_ACCOUNT: intFromString(50, 1),
  CURRENCY: z
    .string()
    .trim()
    .regex(/^[A-Z]{3}$/, "must be a 3-letter ISO 4217 code like AUD")
    .default("AUD"),
  OIDC_ISSUER: optionalString.pipe(z.url().optional()),
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  OIDC_NAME: z.string().trim().default("Single sign-on"),
  /**
   * How many reverse proxies stand in front of this server (0: none, the default). The client
   * address is the X-Forwarded-For entry that many hops from the right, and X-Forwarded-Host/
   * -Proto are believed only when it is set. `true`/`false` are kept as 1/0.
   */
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
    .transform(Number),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /**
   * What `npm start` serves: `all` (the dashboard, /api/v1 and /v1), or `gateway` (/v1 and
   * the health and metrics endpoints only, without loading Next.js) for extra /v1 processes
   * beside an `all` one on the same Postgres server.
   */
  SERVE: z.enum(["all", "gateway"]).default("all"),
  /**
   * Processes `npm start` runs on one port (Node's cluster) with DATABASE_URL: a number, or
   * `auto` for one per core. Unset: one, because the sign-in, sign-up and failed-key limiters
   * are still counted per process, so N processes would allow N times the attempts. The
   * embedded database allows one process, so it is always 1 without DATABASE_URL.
   */
  WEB_CONCURRENCY: optionalString.pipe(
    z
      .string()
      .regex(/^([1-9]\d{0,2}|auto)$/, "must be a number of processes (1, 2, …) or auto")
      .transform((v) => (v === "auto" ? ("auto" as const) : Number(v)))
      .optional(),
  ),
  /**
   * Who may create an account, for installs managed as code: when set it wins over the
   * setting under Admin → Settings (`invite` by default there). The first account of a
   * fresh install is always allowed: it becomes the platform admin.
   */
  SIGNUP_MODE: optionalString.pipe(
    z.enum(["invite", "open", "closed"], "must be invite, open or closed").optional(),
  ),
  /** Sign-up attempts one client address may make per hour (stops account creation and email probing in bulk). */
  SIGNUP_ATTEMPTS_PER_HOUR: intFromString(10, 1),
  /** /metrics needs `Authorization: Bearer $METRICS_TOKEN` unless this opens it to anyone who reaches it. */
  METRICS_PUBLIC: z
    .enum(["0", "1", "false", "true"])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
  METRICS_TOKEN: optionalString,
  /** Lets a model's base URL point at link-local / cloud metadata addresses (refused by default). */
  ALLOW_LINK_LOCAL_UPSTREAMS: z
    .enum(["0", "1", "false", "true"])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
  // The gateway's own settings (lib/gateway/config.ts), with defaults that suit a single box.
  GATEWAY_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(8 * 1024 * 1024),
  GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(32 * 1024 * 1024),
  GATEWAY_ECHO_PACE_MS: z.coerce.number().int().min(0).default(15),
  /** How long a request waits for in-flight requests of its key to settle and free budget. */
  GATEWAY_RESERVATION_WAIT_MS: z.coerce.number().int().min(0).default(10_000),
  GATEWAY_USAGE_FLUSH_MS: z.coerce.number().int().min(10).default(1000),
  /** A process's budget lease not renewed for this long (it crashed) is given back to the key. */
  GATEWAY_LEASE_TTL_MS: z.coerce.number().int().min(1000).default(30_000),
  /** How long a non-streamed request's upstream may go on after its client left, for its usage to be charged. */
  GATEWAY_ABORT_GRACE_MS: z.coerce.number().int().min(0).default(5000),
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
