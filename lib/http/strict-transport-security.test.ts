import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { servedOverHttps } from "./strict-transport-security";

const request = (headers: Record<string, string>, encrypted = false) =>
  ({ headers, socket: { encrypted } }) as unknown as IncomingMessage;

describe("HSTS only over HTTPS", () => {
  it("on a TLS socket", () => {
    expect(servedOverHttps(request({}, true), false)).toBe(true);
  });

  it("behind a TLS-terminating proxy only when the proxy is trusted", () => {
    expect(servedOverHttps(request({ "x-forwarded-proto": "https" }), true)).toBe(true);
    expect(servedOverHttps(request({ "x-forwarded-proto": "HTTPS, http" }), true)).toBe(true);
    // A client can send the header itself: without TRUST_PROXY it proves nothing.
    expect(servedOverHttps(request({ "x-forwarded-proto": "https" }), false)).toBe(false);
  });

  it("not on plain HTTP", () => {
    expect(servedOverHttps(request({}), true)).toBe(false);
    expect(servedOverHttps(request({ "x-forwarded-proto": "http" }), true)).toBe(false);
  });
});
