import { eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys, instanceSettings, teams, users } from "@/db/schema";
import type { PayloadCaptureSetting } from "@/db/schema/payload-capture";
import type { Actor } from "@/lib/core/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { ForbiddenError, NotFoundError } from "@/lib/errors/domain-errors";
import { invalidateKey } from "@/lib/keys/invalidate";
import type { KeyWithCreator } from "@/lib/keys/key-access";
import { ALL_KEYS } from "@/lib/keys/key-notify";
import { isUuid } from "@/lib/teams/membership";
import type { PayloadCaptureInput } from "./schemas";

/**
 * Payload capture is switched on by a platform admin (PRODUCT.md, "Seeing every request"):
 * per key, per team or for the whole instance, with a sampling rate. null removes the
 * setting at that level (the level above applies). Every change is audited and evicts the
 * gateway's cached keys in every process, which is where the setting is read.
 */
const toSetting = (input: PayloadCaptureInput): PayloadCaptureSetting | null =>
  input ? { enabled: input.enabled, sampleRate: input.sample_rate } : null;

export const toCaptureObject = (setting: PayloadCaptureSetting | null) =>
  setting ? { enabled: setting.enabled, sample_rate: setting.sampleRate } : null;

function requireAdmin(actor: Actor) {
  if (actor.user.role !== "admin")
    throw new ForbiddenError("Only platform admins can turn payload capture on or off.");
}

/** Any key, for a platform admin (capture is theirs to set whoever owns the key). */
async function loadAnyKey(db: Db, id: string): Promise<KeyWithCreator> {
  if (!isUuid(id)) throw new NotFoundError("key");
  const [row] = await db
    .select({ key: apiKeys, createdByName: users.name, createdByEmail: users.email })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.createdBy))
    .where(eq(apiKeys.id, id))
    .limit(1);
  if (!row) throw new NotFoundError("key");
  return { ...row.key, createdByName: row.createdByName, createdByEmail: row.createdByEmail };
}

export async function setKeyCapture(
  db: Db,
  actor: Actor,
  keyId: string,
  input: PayloadCaptureInput,
): Promise<KeyWithCreator> {
  requireAdmin(actor);
  const key = await loadAnyKey(db, keyId);
  const setting = toSetting(input);
  await db.transaction(async (tx) => {
    await tx.update(apiKeys).set({ payloadCapture: setting }).where(eq(apiKeys.id, key.id));
    await recordAudit(tx as unknown as Db, actor, {
      action: "key.update",
      targetType: "api_key",
      targetId: key.id,
      teamId: key.teamId,
      details: {
        changes: {
          payload_capture: {
            from: toCaptureObject(key.payloadCapture),
            to: toCaptureObject(setting),
          },
        },
      },
    });
  });
  await invalidateKey(db, key.id);
  return { ...key, payloadCapture: setting };
}

export async function setTeamCapture(
  db: Db,
  actor: Actor,
  teamId: string,
  input: PayloadCaptureInput,
): Promise<{ id: string; name: string; payloadCapture: PayloadCaptureSetting | null }> {
  requireAdmin(actor);
  if (!isUuid(teamId)) throw new NotFoundError("team");
  const [team] = await db.select().from(teams).where(eq(teams.id, teamId)).limit(1);
  if (!team || team.deletedAt) throw new NotFoundError("team");
  const setting = toSetting(input);
  await db.transaction(async (tx) => {
    await tx.update(teams).set({ payloadCapture: setting }).where(eq(teams.id, teamId));
    await recordAudit(tx as unknown as Db, actor, {
      action: "team.payload_capture",
      targetType: "team",
      targetId: teamId,
      teamId,
      details: { from: toCaptureObject(team.payloadCapture), to: toCaptureObject(setting) },
    });
  });
  // Every key of the team inherits it: the gateway drops its cached keys.
  await invalidateKey(db, ALL_KEYS);
  return { id: team.id, name: team.name, payloadCapture: setting };
}

export async function setInstanceCapture(
  db: Db,
  actor: Actor,
  input: PayloadCaptureInput,
): Promise<PayloadCaptureSetting | null> {
  requireAdmin(actor);
  const setting = toSetting(input);
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select({ payloadCapture: instanceSettings.payloadCapture })
      .from(instanceSettings)
      .where(eq(instanceSettings.id, 1));
    await tx
      .insert(instanceSettings)
      .values({ id: 1, payloadCapture: setting, updatedBy: actor.user.id })
      .onConflictDoUpdate({
        target: instanceSettings.id,
        set: { payloadCapture: setting, updatedBy: actor.user.id, updatedAt: new Date() },
      });
    await recordAudit(tx as unknown as Db, actor, {
      action: "settings.update",
      targetType: "settings",
      targetId: "payload_capture",
      details: {
        changes: {
          payload_capture: {
            from: toCaptureObject(before?.payloadCapture ?? null),
            to: toCaptureObject(setting),
          },
        },
      },
    });
  });
  await invalidateKey(db, ALL_KEYS);
  return setting;
}

/** The instance's setting (null: off unless a key or team has its own). */
export async function instanceCapture(db: Db): Promise<PayloadCaptureSetting | null> {
  const [row] = await db
    .select({ payloadCapture: instanceSettings.payloadCapture })
    .from(instanceSettings)
    .where(eq(instanceSettings.id, 1));
  return row?.payloadCapture ?? null;
}

/**
 * What is in force for each key (its own setting, else its team's, else the instance's), as
 * the gateway decides it: for the "Traffic logged" chip on the key's row and detail.
 */
export async function captureInForce(
  db: Db,
  keys: { id: string; teamId: string | null; payloadCapture: PayloadCaptureSetting | null }[],
): Promise<Map<string, { sampleRate: number } | null>> {
  const teamIds = [...new Set(keys.flatMap((k) => (k.teamId ? [k.teamId] : [])))];
  const teamRows =
    teamIds.length > 0
      ? await db
          .select({ id: teams.id, payloadCapture: teams.payloadCapture })
          .from(teams)
          .where(inArray(teams.id, teamIds))
      : [];
  const byTeam = new Map(teamRows.map((t) => [t.id, t.payloadCapture]));
  const instance = await instanceCapture(db);
  const out = new Map<string, { sampleRate: number } | null>();
  for (const key of keys) {
    const setting = key.payloadCapture ?? (key.teamId ? byTeam.get(key.teamId) : null) ?? instance;
    out.set(
      key.id,
      setting?.enabled && setting.sampleRate > 0 ? { sampleRate: setting.sampleRate } : null,
    );
  }
  return out;
}
