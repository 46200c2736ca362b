import { describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import { setProcessDatabase } from "@/db/client";
import { requestPayloads } from "@/db/schema";
import { rowsOf } from "@/db/rows-of";
import type { Actor } from "@/lib/core/actor";
import { setInstanceCapture, setKeyCapture, setTeamCapture } from "@/lib/requests/capture-settings";
import { createTeam } from "@/lib/teams/teams";
import { letEveryoneMakeTeams } from "@/tests/helpers/actors";
import {
  client,
  createKey,
  createUser,
  harnessForFile,
  registerFakeModels,
} from "../helpers/harness";

vi.mock("@/lib/auth", () => ({ auth: async () => null }));

/**
 * Payload capture through a real gateway: off by default; on per key, team or instance by
 * a platform admin; sampled; bodies capped and marked; no credential ever stored; the
 * payload shown in the request's detail only to who may see the key's usage.
 */
const actorOf = (u: {
  id: string;
  email: string;
  name: string;
  role: "admin" | "user";
}): Actor => ({
  user: { id: u.id, email: u.email, name: u.name, role: u.role },
  keyId: null,
});

const t = harnessForFile(async (h) => {
  setProcessDatabase(h.database);
  await letEveryoneMakeTeams(h.database.db);
  await registerFakeModels(h.database, h.upstream.url, ["json", "sse", "echo-request"]);
  const admin = await createUser(h.database, "admin");
  const owner = await createUser(h.database);
  const stranger = await createUser(h.database);
  return { admin: actorOf(admin), owner: actorOf(owner), stranger: actorOf(stranger) };
});

async function ask(key: string, model: string, content = "hello capture", stream = false) {
  const sdk = client(t.h.baseURL, key);
  if (!stream) return sdk.chat.completions.create({ model, messages: [{ role: "user", content }] });
  const chunks = await sdk.chat.completions.create({
    model,
    messages: [{ role: "user", content }],
    stream: true,
  });
  for await (const _ of chunks) void _;
}

async function payloadsOf(keyId: string) {
  await t.h.runtime.flush();
  return t.h.database.db
    .select()
    .from(requestPayloads)
    .where(eq(requestPayloads.keyId, keyId))
    .orderBy(requestPayloads.createdAt);
}

describe("payload capture", () => {
  it("is off by default", async () => {
    const { key, row } = await createKey(t.h.database, { userId: t.value.owner.user.id });
    await ask(key, "fake/json");
    expect(await payloadsOf(row.id)).toEqual([]);
  });

  it("on for a key: the request and the streamed answer, without any credential", async () => {
    const { key, row } = await createKey(t.h.database, { userId: t.value.owner.user.id });
    await setKeyCapture(t.h.database.db, t.value.admin, row.id, { enabled: true, sample_rate: 1 });
    await ask(key, "fake/sse", "what is in the payload?", true);
    const [payload] = await payloadsOf(row.id);
    expect(JSON.parse(payload.requestBody!).messages[0].content).toBe("what is in the payload?");
    expect(payload.responseBody).toContain("data: ");
    expect(payload.responseBody).toContain("[DONE]");
    expect(payload.requestTruncated).toBe(false);
    expect(payload.responseTruncated).toBe(false);
    expect(payload.requestHeaders["content-type"]).toContain("application/json");
    expect(payload.requestHeaders["user-agent"]).toMatch(/OpenAI\/JS/);
    expect(Object.keys(payload.requestHeaders)).not.toContain("authorization");
    // Neither the client's key nor the upstream's credential is anywhere in the row.
    const stored = JSON.stringify(payload);
    expect(stored).not.toContain(key);
    expect(stored).not.toContain(key.slice(-12));
    expect(stored).not.toContain("upstream-secret-credential");

    // The detail shows it to the key's owner; to anyone else the request does not exist.
    const { requestDetail } = await import("@/lib/requests/request-detail");
    const detail = await requestDetail(t.h.database.db, t.value.owner, payload.requestId);
    expect(detail.payload?.requestBody).toBe(payload.requestBody);
    await expect(
      requestDetail(t.h.database.db, t.value.stranger, payload.requestId),
    ).rejects.toMatchObject({ code: "not_found" });

    // Off again: the next request is not captured.
    await setKeyCapture(t.h.database.db, t.value.admin, row.id, { enabled: false, sample_rate: 1 });
    await ask(key, "fake/json");
    expect(await payloadsOf(row.id)).toHaveLength(1);
  });

  it("samples: a rate of 0.5 captures the draws under it", async () => {
    const { key, row } = await createKey(t.h.database, { userId: t.value.owner.user.id });
    await setKeyCapture(t.h.database.db, t.value.admin, row.id, {
      enabled: true,
      sample_rate: 0.5,
    });
    const draws = [0.2, 0.7, 0.49, 0.5, 0.9, 0.1];
    t.h.runtime.deps.random = () => draws.shift()!;
    try {
      for (let i = 0; i < 6; i++) await ask(key, "fake/json", `sample ${i}`);
    } finally {
      t.h.runtime.deps.random = undefined;
    }
    const captured = await payloadsOf(row.id);
    expect(captured.map((p) => JSON.parse(p.requestBody!).messages[0].content)).toEqual([
      "sample 0",
      "sample 2",
      "sample 5",
    ]);
  });

  it("caps each body and marks the cut", async () => {
    const { key, row } = await createKey(t.h.database, { userId: t.value.owner.user.id });
    await setKeyCapture(t.h.database.db, t.value.admin, row.id, { enabled: true, sample_rate: 1 });
    const config = t.h.runtime.deps.config;
    const before = config.payloadMaxBytes;
    config.payloadMaxBytes = 300;
    try {
      await ask(key, "fake/echo-request", "é".repeat(400));
    } finally {
      config.payloadMaxBytes = before;
    }
    const [payload] = await payloadsOf(row.id);
    expect(payload.requestTruncated).toBe(true);
    expect(Buffer.byteLength(payload.requestBody!)).toBeLessThanOrEqual(300 + 3);
    expect(payload.responseTruncated).toBe(true);
    expect(Buffer.byteLength(payload.responseBody!)).toBeLessThanOrEqual(300 + 3);
  });

  it("on for a team or the instance; a key's own `enabled: false` wins; admins only", async () => {
    const db = t.h.database.db;
    const team = await createTeam(db, t.value.owner, "Capture team");
    const teamKey = await createKey(t.h.database, {
      userId: t.value.owner.user.id,
      teamId: team.id,
    });
    const optedOut = await createKey(t.h.database, {
      userId: t.value.owner.user.id,
      teamId: team.id,
    });
    await setKeyCapture(db, t.value.admin, optedOut.row.id, { enabled: false, sample_rate: 1 });
    await setTeamCapture(db, t.value.admin, team.id, { enabled: true, sample_rate: 1 });
    await ask(teamKey.key, "fake/json");
    await ask(optedOut.key, "fake/json");
    expect(await payloadsOf(teamKey.row.id)).toHaveLength(1);
    expect(await payloadsOf(optedOut.row.id)).toHaveLength(0);

    const personal = await createKey(t.h.database, { userId: t.value.stranger.user.id });
    await setInstanceCapture(db, t.value.admin, { enabled: true, sample_rate: 1 });
    try {
      await ask(personal.key, "fake/json");
    } finally {
      await setInstanceCapture(db, t.value.admin, null);
    }
    await ask(personal.key, "fake/json");
    expect(await payloadsOf(personal.row.id)).toHaveLength(1);

    await expect(
      setKeyCapture(db, t.value.owner, teamKey.row.id, { enabled: true, sample_rate: 1 }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      setTeamCapture(db, t.value.owner, team.id, { enabled: true, sample_rate: 1 }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const audit = rowsOf<{ action: string }>(
      await db.execute(
        sql`select action from audit_log where action in ('team.payload_capture', 'settings.update') order by created_at`,
      ),
    ).map((r) => r.action);
    expect(audit).toEqual(["team.payload_capture", "settings.update", "settings.update"]);
  });
});
