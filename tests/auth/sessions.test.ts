import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changePassword } from "@/lib/auth/change-password";
import { currentSessionVersion, endAllSessions, userOfSession } from "@/lib/auth/session-user";
import { createUser, verifyCredentials } from "@/lib/users/service";
import { openTestDatabase } from "@/tests/helpers/database";

/**
 * A session token is signed, not stored: the server cannot delete it. What ends it is the
 * session version it carries falling behind the user's. (The cookie replayed against the
 * built server: e2e/browser/auth.spec.ts.)
 */
let database: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const sessionOf = async (userId: string) => ({
  user: { id: userId },
  sessionVersion: await currentSessionVersion(database.db, userId),
});

describe("sessions end on the server", () => {
  it("a session issued before a sign-out is refused after it; a new one works", async () => {
    const user = await createUser(database.db, {
      email: "ada@example.com",
      name: "Ada",
      password: "a long password 1",
    });
    const old = await sessionOf(user.id);
    expect(await userOfSession(database.db, old)).toMatchObject({ id: user.id });
    await endAllSessions(database.db, user.id);
    expect(await userOfSession(database.db, old)).toBeNull();
    expect(await userOfSession(database.db, await sessionOf(user.id))).toMatchObject({
      id: user.id,
    });
  });

  it("a password change ends every session and the old password stops working", async () => {
    const user = await createUser(database.db, {
      email: "bob@example.com",
      name: "Bob",
      password: "a long password 2",
    });
    const old = await sessionOf(user.id);
    await expect(
      changePassword(database.db, user.id, "wrong current", "a new long password"),
    ).rejects.toMatchObject({ field: "current_password" });
    expect(await userOfSession(database.db, old)).not.toBeNull();
    await changePassword(database.db, user.id, "a long password 2", "a new long password");
    expect(await userOfSession(database.db, old)).toBeNull();
    expect(await verifyCredentials(database.db, "bob@example.com", "a long password 2")).toBeNull();
    expect(
      await verifyCredentials(database.db, "bob@example.com", "a new long password"),
    ).toMatchObject({ id: user.id });
  });

  it("a session without a user id, or of an unknown user, is nobody", async () => {
    expect(await userOfSession(database.db, null)).toBeNull();
    expect(
      await userOfSession(database.db, { user: { id: "00000000-0000-4000-8000-000000000000" } }),
    ).toBeNull();
  });
});
