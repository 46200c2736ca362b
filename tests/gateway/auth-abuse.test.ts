import { Agent, request } from "undici";
import { afterAll, describe, expect, it } from "vitest";
import { generateKey } from "@/lib/keys/format";
import { createKey, createUser, registerFakeModels, harnessForFile } from "../helpers/harness";

/**
 * Repeated bad keys from one address are refused with 429, on the real gateway over
 * node:http, while a good key from another address keeps working. The two clients get
 * different loopback source addresses (127.0.0.4 and 127.0.0.5), which the gateway sees
 * on the socket exactly as it would see two machines.
 */
const attacker = new Agent({ localAddress: "127.0.0.4" });
const neighbour = new Agent({ localAddress: "127.0.0.5" });
const budget = 30; // AUTH_FAILURES_PER_WINDOW's default

const t = harnessForFile(async (h) => {
  await registerFakeModels(h.database, h.upstream.url, ["json"]);
  const key = (await createKey(h.database, { userId: (await createUser(h.database)).id })).key;
  return { key };
});

afterAll(async () => {
  await Promise.all([attacker.close(), neighbour.close()]);
});

async function chat(dispatcher: Agent, apiKey: string) {
  const response = await request(`${t.h.baseURL}/chat/completions`, {
    dispatcher,
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "fake/json", messages: [{ role: "user", content: "hi" }] }),
  });
  const body = (await response.body.json()) as { error?: { code: string } };
  return {
    status: response.statusCode,
    code: body.error?.code,
    retryAfter: response.headers["retry-after"],
  };
}

describe("invalid keys from one address", () => {
  it("are answered 401 up to the budget, then 429 with Retry-After, even for a good key from that address", async () => {
    const codes: number[] = [];
    for (let i = 0; i < budget + 5; i++)
      codes.push((await chat(attacker, generateKey("live"))).status);
    expect(codes.slice(0, budget).every((status) => status === 401)).toBe(true);
    expect(codes.slice(budget + 1).every((status) => status === 429)).toBe(true);

    const refused = await chat(attacker, t.value.key);
    expect(refused).toMatchObject({ status: 429, code: "too_many_failed_attempts" });
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
  });

  it("do not affect a good key from another address", async () => {
    for (let i = 0; i < 3; i++) expect((await chat(neighbour, t.value.key)).status).toBe(200);
  });

  it("a good key's successes are not counted: a busy client never reaches the limit", async () => {
    const busy = new Agent({ localAddress: "127.0.0.6" });
    try {
      const statuses = await Promise.all(
        Array.from({ length: budget + 10 }, () => chat(busy, t.value.key).then((r) => r.status)),
      );
      expect(new Set(statuses)).toEqual(new Set([200]));
    } finally {
      await busy.close();
    }
  });
});
