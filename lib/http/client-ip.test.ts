import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { CLIENT_IP_HEADER, clientIpFromHeaders } from "./client-ip";

function withTrustProxy(value: string | undefined) {
  if (value === undefined) delete process.env.TRUST_PROXY;
  else process.env.TRUST_PROXY = value;
  resetEnvCache();
}

afterEach(() => withTrustProxy(undefined));

const socket = "10.0.0.2";
const request = (xff?: string) =>
  new Headers({ [CLIENT_IP_HEADER]: socket, ...(xff ? { "x-forwarded-for": xff } : {}) });

describe("the client address", () => {
  it("is the socket's without TRUST_PROXY, whatever X-Forwarded-For says", () => {
    withTrustProxy(undefined);
    expect(clientIpFromHeaders(request("198.51.100.1"))).toBe(socket);
  });

  it("with one proxy, is the entry that proxy appended (the rightmost), not what the client sent", () => {
    withTrustProxy("1");
    // The client sent "X-Forwarded-For: 198.51.100.1"; our proxy appended the peer it saw.
    expect(clientIpFromHeaders(request("198.51.100.1, 203.0.113.7"))).toBe("203.0.113.7");
    expect(clientIpFromHeaders(request("203.0.113.7"))).toBe("203.0.113.7");
    expect(
      clientIpFromHeaders({
        [CLIENT_IP_HEADER]: socket,
        "x-forwarded-for": ["198.51.100.1", "203.0.113.7"],
      }),
    ).toBe("203.0.113.7");
  });

  it("with two proxies, is the entry two hops from the right", () => {
    withTrustProxy("2");
    expect(clientIpFromHeaders(request("198.51.100.1, 203.0.113.7, 10.0.0.9"))).toBe("203.0.113.7");
    // Fewer entries than proxies: the outermost entry there is.
    expect(clientIpFromHeaders(request("203.0.113.7"))).toBe("203.0.113.7");
  });

  it("falls back to the socket when the proxy sent no X-Forwarded-For; true/false still parse", () => {
    withTrustProxy("true");
    expect(clientIpFromHeaders(request())).toBe(socket);
    expect(clientIpFromHeaders(request("198.51.100.1, 203.0.113.7"))).toBe("203.0.113.7");
    withTrustProxy("false");
    expect(clientIpFromHeaders(request("198.51.100.1"))).toBe(socket);
  });
});
