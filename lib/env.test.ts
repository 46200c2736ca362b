import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

describe("environment", () => {
  it("has working defaults for the embedded quick start", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      DATA_DIR: ".data",
      PORT: 3000,
      KEY_PREFIX: "mb_",
      CURRENCY: "AUD",
      MAX_ACTIVE_KEYS_PER_ACCOUNT: 50,
    });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("names the variable that has a bad value", () => {
    expect(() => parseEnv({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(
      /DATABASE_URL: must start with postgres/,
    );
    expect(() => parseEnv({ CURRENCY: "dollars" })).toThrow(/CURRENCY/);
    expect(() => parseEnv({ KEY_PREFIX: "MB-" })).toThrow(/KEY_PREFIX/);
    expect(() => parseEnv({ AUTH_SECRET: "short" })).toThrow(/AUTH_SECRET: must be at least 32/);
  });

  it("requires AUTH_SECRET in production on Postgres, and OIDC credentials with an issuer", () => {
    expect(() => parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://h/db" })).toThrow(
      /AUTH_SECRET: required/,
    );
    expect(() => parseEnv({ NODE_ENV: "production" })).not.toThrow();
    expect(() => parseEnv({ OIDC_ISSUER: "https://id.example.com" })).toThrow(/OIDC_CLIENT_ID/);
  });

  it("serves everything by default; a gateway-only process needs Postgres", () => {
    expect(parseEnv({}).SERVE).toBe("all");
    expect(parseEnv({ SERVE: "gateway", DATABASE_URL: "postgres://h/db" }).SERVE).toBe("gateway");
    expect(() => parseEnv({ SERVE: "gateway" })).toThrow(/SERVE: 'gateway' needs DATABASE_URL/);
    expect(() => parseEnv({ SERVE: "dashboard" })).toThrow(/SERVE/);
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", PUBLIC_URL: "" }).DATABASE_URL).toBeUndefined();
  });
});
