import { describe, expect, it, vi } from "vitest";
import { setProcessDatabase } from "@/db/client";
import { CLIENT_IP_HEADER } from "@/lib/http/client-ip";
import { generateKey } from "@/lib/keys/format";
import { callRoute } from "../helpers/call-route";
import { createKey, createUser, harnessForFile } from "../helpers/harness";

/**
 * `/api/v1` with Bearer keys: repeated bad keys from one address are refused with 429,
 * a good Management key from another address is not affected. The address is the header
 * server.ts stamps from the socket (lib/http/client-ip.ts), set here as it would set it.
 */
vi.mock("@/lib/auth", () => ({ auth: async () => null }));

const t = harnessForFile(async (h) => {
  setProcessDatabase(h.database);
  const { key } = await createKey(h.database, {
    userId: (await createUser(h.database)).id,
    type: "management",
  });
  return { key };
});

async function me(address: string, apiKey: string) {
  const { GET } = await import("@/app/api/v1/me/route");
  const { status, body } = await callRoute({
    handler: GET,
    path: "/api/v1/me",
    key: apiKey,
    headers: { [CLIENT_IP_HEADER]: address },
  });
  return { status, code: (body as { error?: { code: string } }).error?.code };
}

describe("/api/v1 Bearer failures from one address", () => {
  it("are refused with 429 past the budget, then even a good key from that address; others are unaffected", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++)
      statuses.push((await me("203.0.113.9", generateKey("mgmt"))).status);
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(401));
    expect(statuses.slice(31)).toEqual(Array(4).fill(429));
    expect(await me("203.0.113.9", t.value.key)).toEqual({
      status: 429,
      code: "too_many_failed_attempts",
    });
    expect((await me("203.0.113.10", t.value.key)).status).toBe(200);
  });

  it("counts malformed Authorization headers as failures too", async () => {
    const { GET } = await import("@/app/api/v1/me/route");
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) {
      const answer = await callRoute({
        handler: GET,
        path: "/api/v1/me",
        headers: { authorization: "Basic Zm9vOmJhcg==", [CLIENT_IP_HEADER]: "203.0.113.11" },
      });
      statuses.push(answer.status);
    }
    expect(statuses.at(-1)).toBe(429);
  });
});
