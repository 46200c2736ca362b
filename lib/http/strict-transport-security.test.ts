import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { servedOverHttps } from "./strict-transport-security";

const request = (headers: Record<string, string>, encrypted = false) =>
  ({ headers, socket: { encrypted } }) as unknown as IncomingMessage;

describe("HSTS only over HTTPS", () => {
  it("on a TLS socket", () => {
    expect(servedOverHttps(request({}, true), 0)).toBe(true);
  });

  it("behind a TLS-terminating proxy only when the proxy is trusted", () => {
    expect(servedOverHttps(request({ "x-forwarded-proto": "https" }), 1)).toBe(true);
    // Two proxies: the outer one terminated TLS, the inner one appended what it saw.
    expect(servedOverHttps(request({ "x-forwarded-proto": "HTTPS, http" }), 2)).toBe(true);
    // A client can send the header itself: without TRUST_PROXY it proves nothing…
    expect(servedOverHttps(request({ "x-forwarded-proto": "https" }), 0)).toBe(false);
    // …and with one proxy that appends, only the proxy's own entry counts.
    expect(servedOverHttps(request({ "x-forwarded-proto": "https, http" }), 1)).toBe(false);
  });

  it("not on plain HTTP", () => {
    expect(servedOverHttps(request({}), 1)).toBe(false);
    expect(servedOverHttps(request({ "x-forwarded-proto": "http" }), 1)).toBe(false);
  });
});
