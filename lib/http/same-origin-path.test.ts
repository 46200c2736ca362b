import { describe, expect, it } from "vitest";
import { authRedirect, sameOriginPath } from "./same-origin-path";

const FALLBACK = "/settings/api-keys";

/** Where a browser ends up when it follows `location` from a page on `origin`. */
const followedFrom = (origin: string, location: string) => new URL(location, origin).origin;

describe("the page after sign-in", () => {
  const attacks = [
    "/\\evil.test/",
    "/..//evil.test",
    "//evil.test",
    "///evil.test",
    "\\\\evil.test",
    "/\t/evil.test",
    "https://evil.test/",
    "http:evil.test",
    "javascript:alert(1)",
    "/%2F%2Fevil.test",
    "/.%2F/evil.test",
  ];

  it.each(attacks)("never leaves this server for %j", (target) => {
    const path = sameOriginPath(target, FALLBACK);
    expect(path.startsWith("/")).toBe(true);
    expect(path.startsWith("//")).toBe(false);
    expect(followedFrom("http://app.test:3000", path)).toBe("http://app.test:3000");
  });

  it.each(attacks)("next-auth's redirect callback keeps %j on this server", (target) => {
    const location = authRedirect({ url: target, baseUrl: "http://app.test:3000" });
    expect(followedFrom("http://app.test:3000", location)).toBe("http://app.test:3000");
    expect(location.startsWith("//")).toBe(false);
  });

  it("keeps a real path, its query and fragment", () => {
    expect(sameOriginPath("/usage?preset=7#top", FALLBACK)).toBe("/usage?preset=7#top");
    expect(authRedirect({ url: "/settings/teams", baseUrl: "http://app.test:3000" })).toBe(
      "/settings/teams",
    );
    // next-auth hands its own absolute callback URLs to the callback.
    expect(
      authRedirect({ url: "http://app.test:3000/usage", baseUrl: "http://app.test:3000" }),
    ).toBe("/usage");
  });

  it("falls back when there is nothing usable", () => {
    expect(sameOriginPath(null, FALLBACK)).toBe(FALLBACK);
    expect(sameOriginPath("", FALLBACK)).toBe(FALLBACK);
    expect(sameOriginPath("https://evil.test/x", FALLBACK)).toBe(FALLBACK);
  });
});
