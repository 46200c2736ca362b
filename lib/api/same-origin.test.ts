import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { isSameOriginRequest } from "./same-origin";

function withTrustProxy(value: string | undefined) {
  if (value === undefined) delete process.env.TRUST_PROXY;
  else process.env.TRUST_PROXY = value;
  resetEnvCache();
}

afterEach(() => withTrustProxy(undefined));

const post = (headers: Record<string, string>) =>
  new Request("http://app.test:3000/api/v1/keys", {
    method: "POST",
    headers: { host: "app.test:3000", ...headers },
  });

describe("the same-origin check for cookie-authenticated requests", () => {
  it("accepts this server's own origin", () => {
    expect(isSameOriginRequest(post({ origin: "http://app.test:3000" }))).toBe(true);
  });

  it("does not let a client vouch for its own origin with X-Forwarded-Host/-Proto without TRUST_PROXY", () => {
    withTrustProxy(undefined);
    expect(
      isSameOriginRequest(
        post({
          origin: "https://evil.test",
          "x-forwarded-host": "evil.test",
          "x-forwarded-proto": "https",
        }),
      ),
    ).toBe(false);
  });

  it("believes the trusted proxy's forwarded host, and only its entry", () => {
    withTrustProxy("1");
    const viaProxy = { "x-forwarded-host": "gateway.example.com", "x-forwarded-proto": "https" };
    expect(isSameOriginRequest(post({ origin: "https://gateway.example.com", ...viaProxy }))).toBe(
      true,
    );
    // The client's own X-Forwarded-Host is left of the proxy's.
    expect(
      isSameOriginRequest(
        post({
          origin: "https://evil.test",
          "x-forwarded-host": "evil.test, gateway.example.com",
          "x-forwarded-proto": "https",
        }),
      ),
    ).toBe(false);
  });
});
