import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { setProcessDatabase } from "@/db/client";
import { resetEnvCache } from "@/lib/env";
import { CLIENT_IP_HEADER } from "@/lib/http/client-ip";
import { generateKey } from "@/lib/keys/format";
import { startHarness, type Harness } from "../helpers/harness";

/**
 * Behind one reverse proxy (TRUST_PROXY=1), a key scanner rotating the X-Forwarded-For it
 * sends itself must still be counted as one address: the proxy appends the address it saw,
 * and that rightmost entry is the one the bad-key limiters use, on /api/v1 and on /v1.
 */
vi.mock("@/lib/auth", () => ({ auth: async () => null }));

let h: Harness;

beforeAll(async () => {
  process.env.TRUST_PROXY = "1";
  resetEnvCache();
  h = await startHarness();
  setProcessDatabase(h.database);
});

afterAll(async () => {
  await h?.close();
  delete process.env.TRUST_PROXY;
  resetEnvCache();
});

/** What the proxy forwards: the client's own claim, then the address the proxy saw. */
const forwardedFor = (i: number, seenByProxy: string) =>
  `198.51.${i % 250}.${i % 200}, ${seenByProxy}`;

describe("bad keys behind a trusted proxy", () => {
  it("/api/v1: rotating the leftmost X-Forwarded-For does not escape the 429", async () => {
    const { GET } = await import("@/app/api/v1/me/route");
    const statuses: number[] = [];
    for (let i = 0; i < 33; i++) {
      const request = new Request("http://localhost/api/v1/me", {
        headers: {
          authorization: `Bearer ${generateKey("mgmt")}`,
          [CLIENT_IP_HEADER]: "10.0.0.2",
          "x-forwarded-for": forwardedFor(i, "203.0.113.60"),
        },
      });
      statuses.push((await GET(request, { params: Promise.resolve({}) })).status);
    }
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(401));
    expect(statuses.at(-1)).toBe(429);
  });

  it("/v1: rotating the leftmost X-Forwarded-For does not escape the 429; another client behind the proxy is unaffected", async () => {
    const send = (xff: string) =>
      fetch(`${h.baseURL}/models`, {
        headers: { authorization: `Bearer ${generateKey("live")}`, "x-forwarded-for": xff },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 33; i++)
      statuses.push((await send(forwardedFor(i, "203.0.113.61"))).status);
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(401));
    expect(statuses.at(-1)).toBe(429);
    expect((await send("203.0.113.62")).status).toBe(401);
  });
});
