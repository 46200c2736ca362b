import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { publicBaseUrl } from "./public-base-url";

afterEach(() => {
  delete process.env.TRUST_PROXY;
  resetEnvCache();
});

describe("the server URL shown in snippets", () => {
  it("is PUBLIC_URL when set", () => {
    expect(publicBaseUrl("https://ai.example.com/", new Headers({ host: "evil.test" }))).toBe(
      "https://ai.example.com",
    );
  });

  it("ignores X-Forwarded-Host/-Proto without TRUST_PROXY", () => {
    const headers = new Headers({
      host: "app.test:3000",
      "x-forwarded-host": "evil.test",
      "x-forwarded-proto": "https",
    });
    expect(publicBaseUrl(undefined, headers)).toBe("http://app.test:3000");
  });

  it("uses the trusted proxy's forwarded host and scheme", () => {
    process.env.TRUST_PROXY = "1";
    resetEnvCache();
    const headers = new Headers({
      host: "127.0.0.1:3000",
      "x-forwarded-host": "ai.example.com",
      "x-forwarded-proto": "https",
    });
    expect(publicBaseUrl(undefined, headers)).toBe("https://ai.example.com");
  });

  it("never echoes a Host that is not a plain host[:port]", () => {
    expect(publicBaseUrl(undefined, new Headers({ host: "evil.test/'\"><x" }))).toBe(
      "http://localhost:3000",
    );
    expect(publicBaseUrl(undefined, new Headers({ host: "[::1]:3000" }))).toBe("http://[::1]:3000");
  });
});
