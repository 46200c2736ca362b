import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { createModelInput } from "@/lib/models/schemas";
import { createModel } from "@/lib/models/service";
import { testModelConnection } from "@/lib/models/test-connection";
import { openTestDatabase } from "../helpers/database";
import { createUser } from "../gateway/harness";
import { startFakeUpstream, type FakeUpstream } from "../upstream/start-fake-upstream";

/** "Test connection" asks each provider's server in its own terms, with the model's credential. */
let database: Database;
let openai: FakeUpstream;
let anthropic: FakeUpstream;
let adminId: string;

beforeAll(async () => {
  process.env.ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
  [database, openai, anthropic] = await Promise.all([openTestDatabase(), startFakeUpstream(), startFakeUpstream({ script: "anthropic" })]);
  adminId = (await createUser(database, "admin")).id;
});

afterAll(async () => {
  await Promise.all([openai?.stop(), anthropic?.stop()]);
  await database?.close();
});

let n = 0;
async function register(fields: Record<string, unknown>) {
  const input = createModelInput.parse({ name: `conn-${++n}`, input_price_per_million: "1", output_price_per_million: "1", ...fields });
  return (await createModel(database, input, adminId)).id;
}

describe("Test connection", () => {
  it("an OpenAI-compatible server that lists its models", async () => {
    const result = await testModelConnection(database, await register({ base_url: openai.url, api_key: "sk-x" }));
    expect(result).toMatchObject({ ok: true, status: 200 });
  });

  it("Anthropic's API with the right key, and with a wrong one", async () => {
    expect(await testModelConnection(database, await register({ provider: "anthropic", base_url: anthropic.url, api_key: "sk-ant-fake" }))).toMatchObject({ ok: true, status: 200 });
    const refused = await testModelConnection(database, await register({ provider: "anthropic", base_url: anthropic.url, api_key: "sk-ant-wrong" }));
    expect(refused).toMatchObject({ ok: false, status: 401 });
    expect(refused.message).toContain("refused the credential");
    expect(refused.message).not.toContain("sk-ant-wrong");
  });

  it("a server that cannot be reached", async () => {
    const result = await testModelConnection(database, await register({ base_url: "http://127.0.0.1:9/v1" }));
    expect(result).toMatchObject({ ok: false, status: null });
    expect(result.message).toContain("could not be reached");
  });
});
