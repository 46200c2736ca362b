import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { createGatewayRuntime, type GatewayRuntime } from "@/lib/gateway/entry/runtime";
import { undiciUpstreamClient } from "@/lib/gateway/relay/upstream-client";
import { createModelInput } from "@/lib/models/schemas";
import { createModel } from "@/lib/models/service";
import { createKey, createUser, startHarness, type Harness } from "../helpers/harness";

/**
 * A model's base URL is checked again where it matters, on the address each new upstream
 * connection goes to. DNS is played by a fake resolver handed to the upstream client (the
 * real resolver of this machine knows none of these names); the model server is the fake
 * upstream on 127.0.0.1, so a connection that is allowed succeeds for real.
 */
let h: Harness;
let gateway: GatewayRuntime;
let key: string;
const lookups: string[] = [];

const answers: Record<string, () => string> = {
  "fine.test": () => "127.0.0.1",
  metadata: () => "169.254.169.254", // what GCE's resolver answers
  "metadata.internal.test": () => "169.254.169.254",
  "nat64.test": () => "64:ff9b::a9fe:a9fe",
};

type Answer = { address: string; family: number };
function fakeResolve(
  hostname: string,
  _options: unknown,
  callback: (error: NodeJS.ErrnoException | null, addresses: Answer[]) => void,
) {
  lookups.push(hostname);
  const answer = answers[hostname];
  if (!answer)
    return callback(
      Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }),
      [],
    );
  const address = answer();
  callback(null, [{ address, family: address.includes(":") ? 6 : 4 }]);
}

beforeAll(async () => {
  h = await startHarness();
  const admin = await createUser(h.database, "admin");
  const port = new URL(h.upstream.url).port;
  const register = async (name: string, host: string, behaviour = "json") =>
    createModel(
      h.database,
      createModelInput.parse({
        name,
        base_url: `http://${host}:${port}/v1`,
        upstream_model: behaviour,
        input_price_per_million: "1",
        output_price_per_million: "1",
      }),
      admin.id,
    );
  await register("by-name/fine", "fine.test");
  // Not a known metadata name, so it is saved; it resolves to the metadata service.
  await register("by-name/metadata", "metadata.internal.test");
  await register("by-name/nat64", "nat64.test");
  await register("by-name/rebind", "rebind.test", "slow");
  // Saved while an admin allowed link-local upstreams, then the setting was turned off.
  process.env.ALLOW_LINK_LOCAL_UPSTREAMS = "1";
  resetEnvCache();
  await register("literal/nat64", "[64:ff9b::a9fe:a9fe]");
  await register("literal/compatible", "[::169.254.169.254]");
  await register("literal/site-local", "[fec0::1]");
  await register("literal/metadata", "metadata");
  delete process.env.ALLOW_LINK_LOCAL_UPSTREAMS;
  resetEnvCache();

  gateway = await createGatewayRuntime(h.database, {
    upstream: undiciUpstreamClient({ resolve: fakeResolve as never }),
    log: () => {},
    config: { usageFlushMs: 100 },
  });
  key = (await createKey(h.database, { userId: (await createUser(h.database)).id })).key;
});

afterAll(async () => {
  await gateway?.shutdown();
  await h?.close();
});

async function chat(model: string, extra: Record<string, unknown> = {}) {
  const response = await gateway.handleWeb(
    new Request("http://localhost/v1/chat/completions", {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }], ...extra }),
    }),
  );
  const body = (await response.json()) as { error?: { code: string; message: string } };
  return {
    status: response.status,
    code: body.error?.code,
    refused: /address is refused/.test(body.error?.message ?? ""),
  };
}

const REFUSED = { status: 502, code: "upstream_error", refused: true };

describe("the upstream address, checked at connect time", () => {
  it("connects to a name that resolves to an allowed address, resolving once per connection, not per request", async () => {
    lookups.length = 0;
    for (let i = 0; i < 20; i++) expect((await chat("by-name/fine")).status).toBe(200);
    // undici may open a second connection while the first is being set up; a lookup per
    // request would make it 20.
    expect(lookups.filter((name) => name === "fine.test").length).toBeLessThanOrEqual(2);
  });

  it("refuses names that resolve to the metadata service, in IPv4 or NAT64 form", async () => {
    expect(await chat("by-name/metadata")).toEqual(REFUSED);
    expect(await chat("by-name/nat64")).toEqual(REFUSED);
  });

  it("refuses literal IPv6 spellings of link-local and site-local addresses saved earlier, and http://metadata/", async () => {
    for (const model of [
      "literal/nat64",
      "literal/compatible",
      "literal/site-local",
      "literal/metadata",
    ]) {
      expect(await chat(model), model).toEqual(REFUSED);
    }
  });

  it("DNS rebinding: a name that was harmless and now resolves to 169.254.169.254 gets no new connection", async () => {
    // The name answers 127.0.0.1 once, then the metadata address.
    let asked = 0;
    answers["rebind.test"] = () => (asked++ === 0 ? "127.0.0.1" : "169.254.169.254");
    // The first request holds its connection (the upstream answers after 3 s)…
    const first = chat("by-name/rebind", { fake_delay_ms: 3_000 });
    while (asked === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    // …so the second needs a new one, by which time the name points elsewhere.
    expect(await chat("by-name/rebind", { fake_delay_ms: 0 })).toEqual(REFUSED);
    expect((await first).status).toBe(200);
  });
});
