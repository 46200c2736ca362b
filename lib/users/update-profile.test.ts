import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditLog, users } from "@/db/schema";
import { auditSentence } from "@/lib/audit/audit-sentence";
import { makeActor } from "@/tests/helpers/actors";
import { openTestDatabase } from "@/tests/helpers/database";
import { profileBody, updateProfile } from "./update-profile";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe("Settings → Account: name and email", () => {
  it("changes both, lower-cases the email, and records what changed from what", async () => {
    const db = database.db;
    const ann = await makeActor(db, "Ann");
    const input = profileBody.parse({ name: "  Anne Smith ", email: " Anne@Example.TEST " });
    expect(await updateProfile(db, ann, input)).toEqual(["name", "email"]);
    const [row] = await db.select().from(users).where(eq(users.id, ann.user.id));
    expect({ name: row.name, email: row.email }).toEqual({
      name: "Anne Smith",
      email: "anne@example.test",
    });
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.targetId, ann.user.id));
    expect(entry.action).toBe("user.profile");
    expect(entry.details).toEqual({
      name: { from: "Ann", to: "Anne Smith" },
      email: { from: ann.user.email, to: "anne@example.test" },
    });
    expect(
      auditSentence(
        { ...entry, actorName: "Anne Smith", details: entry.details as Record<string, unknown> },
        { users: new Map(), teams: new Map(), keys: new Map(), models: new Map() },
      ),
    ).toContain(`changed their name from “Ann” to “Anne Smith” and their email from`);
    // Saving again changes nothing and records nothing.
    expect(await updateProfile(db, ann, input)).toEqual([]);
    expect(await db.select().from(auditLog).where(eq(auditLog.targetId, ann.user.id))).toHaveLength(
      1,
    );
  });

  it("refuses an email another account has, on the email field, in any case", async () => {
    const db = database.db;
    const bob = await makeActor(db, "Bob");
    const cat = await makeActor(db, "Cat");
    await expect(
      updateProfile(
        db,
        cat,
        profileBody.parse({ name: "Cat", email: bob.user.email.toUpperCase() }),
      ),
    ).rejects.toMatchObject({
      field: "email",
      status: 409,
      message: "Another account already uses this email.",
    });
    expect(profileBody.safeParse({ name: "", email: "not an email" }).error?.issues).toEqual([
      expect.objectContaining({ path: ["name"], message: "Enter your name" }),
      expect.objectContaining({ path: ["email"], message: "Enter a valid email address" }),
    ]);
  });
});
