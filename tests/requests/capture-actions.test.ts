import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import { setProcessDatabase, type Database } from "@/db/client";
import { apiKeys, instanceSettings, teams } from "@/db/schema";
import { rowsOf } from "@/db/rows-of";
import { generateKey, hashKey, keyPrefix } from "@/lib/keys/format";
import { createTeam } from "@/lib/teams/teams";
import { makeActor, makeAdmin } from "@/tests/helpers/actors";
import { openTestDatabase } from "@/tests/helpers/database";

/**
 * The dashboard's "Payload capture" forms (Admin → Settings, a key's page, Admin → Teams)
 * through their server actions on a real database: only next-auth's `auth()` and Next's
 * cache revalidation are replaced. Platform admins only; the percentage is checked next to
 * its field; each save is audited like the API's.
 */
const state = vi.hoisted(() => ({
  session: null as { user: { id: string }; sessionVersion: number } | null,
}));
vi.mock("@/lib/auth", () => ({ auth: async () => state.session }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const { saveInstanceCaptureAction, saveKeyCaptureAction, saveTeamCaptureAction } =
  await import("@/app/(dashboard)/admin/_capture/payload-capture-actions");

let database: Database;
let adminId: string;
let memberId: string;
let keyId: string;
let teamId: string;
beforeAll(async () => {
  database = await openTestDatabase();
  setProcessDatabase(database);
  const admin = await makeAdmin(database.db, "Root");
  const member = await makeActor(database.db, "Member");
  adminId = admin.user.id;
  memberId = member.user.id;
  teamId = (await createTeam(database.db, admin, "Agents")).id;
  const [key] = await database.db
    .insert(apiKeys)
    .values({
      name: "member key",
      keyHash: hashKey(generateKey("live")),
      prefix: keyPrefix("live"),
      last4: "test",
      createdBy: memberId,
    })
    .returning({ id: apiKeys.id });
  keyId = key.id;
});
afterAll(async () => {
  await database?.close();
});

const signIn = (id: string) => {
  state.session = { user: { id }, sessionVersion: 0 };
};
const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};
const instanceSetting = async () =>
  (
    await database.db
      .select({ capture: instanceSettings.payloadCapture })
      .from(instanceSettings)
      .where(eq(instanceSettings.id, 1))
  )[0]?.capture ?? null;

describe("payload capture from the dashboard", () => {
  it("refuses anyone but a platform admin, and changes nothing", async () => {
    signIn(memberId);
    const refused = await saveInstanceCaptureAction(
      {},
      form({ capture: "on", sample_percent: "100" }),
    );
    expect(refused.formError).toBe("Only platform admins can turn payload capture on or off.");
    const onKey = await saveKeyCaptureAction(
      {},
      form({ id: keyId, capture: "on", sample_percent: "100" }),
    );
    expect(onKey.formError).toMatch(/Only platform admins/);
    expect(await instanceSetting()).toBeNull();
    const [key] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
    expect(key.payloadCapture).toBeNull();
  });

  it("says next to the sample rate what is wrong with it, and keeps what was typed", async () => {
    signIn(adminId);
    for (const typed of ["150", "ten", "-5"]) {
      const result = await saveInstanceCaptureAction(
        {},
        form({ capture: "on", sample_percent: typed }),
      );
      expect(result.fieldErrors?.sample_percent).toBe("Enter a percentage from 0 to 100, like 25");
      expect(result.values?.sample_percent).toBe(typed);
    }
    const noChoice = await saveInstanceCaptureAction({}, form({ sample_percent: "50" }));
    expect(noChoice.fieldErrors?.capture).toBe("Choose whether payloads are captured");
    // The instance has no level above it to inherit from.
    const inherit = await saveInstanceCaptureAction({}, form({ capture: "inherit" }));
    expect(inherit.fieldErrors?.capture).toBeDefined();
    expect(await instanceSetting()).toBeNull();
  });

  it("saves a percentage as the API's 0–1 share on the instance, a key and a team, audited", async () => {
    signIn(adminId);
    expect(
      await saveInstanceCaptureAction({}, form({ capture: "on", sample_percent: "25%" })),
    ).toEqual({ ok: true });
    expect(await instanceSetting()).toEqual({ enabled: true, sampleRate: 0.25 });

    expect(
      await saveKeyCaptureAction({}, form({ id: keyId, capture: "off", sample_percent: "" })),
    ).toEqual({ ok: true });
    const [key] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
    expect(key.payloadCapture).toEqual({ enabled: false, sampleRate: 1 });
    expect(
      await saveKeyCaptureAction({}, form({ id: keyId, capture: "inherit", sample_percent: "" })),
    ).toEqual({ ok: true });
    const [inherited] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
    expect(inherited.payloadCapture).toBeNull();

    expect(
      await saveTeamCaptureAction({}, form({ id: teamId, capture: "on", sample_percent: "12.5" })),
    ).toEqual({ ok: true });
    const [team] = await database.db.select().from(teams).where(eq(teams.id, teamId));
    expect(team.payloadCapture).toEqual({ enabled: true, sampleRate: 0.125 });

    const gone = await saveTeamCaptureAction(
      {},
      form({ id: "00000000-0000-4000-8000-000000000000", capture: "on", sample_percent: "1" }),
    );
    expect(gone.formError).toMatch(/refresh the page/);

    const audit = rowsOf<{ action: string; actor_user_id: string }>(
      await database.db.execute(
        sql`select action, actor_user_id from audit_log where action in ('settings.update', 'key.update', 'team.payload_capture') order by created_at`,
      ),
    );
    expect(audit.map((a) => a.action)).toEqual([
      "settings.update",
      "key.update",
      "key.update",
      "team.payload_capture",
    ]);
    expect(new Set(audit.map((a) => a.actor_user_id))).toEqual(new Set([adminId]));
  });
});
