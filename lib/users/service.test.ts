import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "@/db/schema";
import { openTestDatabase } from "@/tests/helpers/database";
import {
  checkCredentials,
  createUser,
  EmailTakenError,
  findActiveUser,
  verifyCredentials,
} from "./service";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe("accounts", () => {
  it("makes the first account the platform admin and later ones users", async () => {
    const first = await createUser(database.db, {
      email: "Admin@Example.com",
      name: " Ada ",
      password: "password-1",
    });
    const second = await createUser(database.db, {
      email: "bob@example.com",
      name: "Bob",
      password: "password-2",
    });
    expect(first).toMatchObject({ email: "admin@example.com", name: "Ada", role: "admin" });
    expect(second.role).toBe("user");
  });

  it("stores an argon2id hash, never the password", async () => {
    const [row] = await database.db.select().from(users).where(eq(users.email, "bob@example.com"));
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain("password-2");
  });

  it("refuses a second account for the same email, whatever its case", async () => {
    await expect(
      createUser(database.db, { email: "BOB@example.com", name: "B", password: "password-3" }),
    ).rejects.toBeInstanceOf(EmailTakenError);
  });

  it("checks credentials and refuses disabled accounts", async () => {
    expect(await verifyCredentials(database.db, "bob@example.com", "password-2")).toMatchObject({
      name: "Bob",
    });
    expect(await verifyCredentials(database.db, "bob@example.com", "wrong")).toBeNull();
    expect(await verifyCredentials(database.db, "nobody@example.com", "password-2")).toBeNull();

    const bob = (await verifyCredentials(database.db, "bob@example.com", "password-2"))!;
    await database.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, bob.id));
    expect(await verifyCredentials(database.db, "bob@example.com", "password-2")).toBeNull();
    expect(await findActiveUser(database.db, bob.id)).toBeNull();
  });

  it("tells a disabled account so only after the right password", async () => {
    // bob was disabled above.
    expect(await checkCredentials(database.db, "bob@example.com", "password-2")).toEqual({
      status: "disabled",
    });
    expect(await checkCredentials(database.db, "bob@example.com", "wrong")).toEqual({
      status: "invalid",
    });
    expect(await checkCredentials(database.db, "nobody@example.com", "password-2")).toEqual({
      status: "invalid",
    });
  });

  it("gives only one admin when the first two sign-ups race", async () => {
    const fresh = await openTestDatabase();
    try {
      const created = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          createUser(fresh.db, {
            email: `u${i}@example.com`,
            name: `U${i}`,
            password: "password-x",
          }),
        ),
      );
      expect(created.filter((u) => u.role === "admin")).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });
});
