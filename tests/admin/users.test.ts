import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { listUsers, setUserDisabled, setUserRole } from "@/lib/admin/users";
import { ensurePlaygroundKey } from "@/lib/playground/playground-key";
import { verifyCredentials, createUser as createAccount } from "@/lib/users/service";
import { eq } from "drizzle-orm";
import { apiKeys, auditLog } from "@/db/schema";
import { createKey, harnessForFile } from "../helpers/harness";

const t = harnessForFile(async (h) => {
  const admin = await createAccount(h.database.db, {
    email: "root@example.com",
    name: "Root",
    password: "password-root",
  });
  return { admin };
});

const asActor = (user: typeof t.value.admin) => ({ user, keyId: null });

describe("admin: users", () => {
  it("lists users for admins only, searchable by name or email", async () => {
    const bob = await createAccount(t.h.database.db, {
      email: "bob@example.com",
      name: "Bob Builder",
      password: "password-bob",
    });
    expect((await listUsers(t.h.database.db, asActor(t.value.admin))).map((u) => u.email)).toEqual([
      "root@example.com",
      "bob@example.com",
    ]);
    expect(
      (await listUsers(t.h.database.db, asActor(t.value.admin), "builder")).map((u) => u.email),
    ).toEqual(["bob@example.com"]);
    expect((await listUsers(t.h.database.db, asActor(t.value.admin), "100%_")).length).toBe(0);
    await expect(listUsers(t.h.database.db, asActor(bob))).rejects.toMatchObject({
      status: 403,
      code: "forbidden",
    });
    // The refusal names what was attempted (it used to speak of models).
    await expect(setUserRole(t.h.database.db, asActor(bob), bob.id, "admin")).rejects.toMatchObject(
      {
        status: 403,
        message: "Only platform admins can manage users.",
      },
    );
  });

  it("counts each user's own active keys (not revoked, not expired, not the Playground's), not 0 for everyone", async () => {
    const erin = await createAccount(t.h.database.db, {
      email: "erin@example.com",
      name: "Erin",
      password: "password-erin",
    });
    const frank = await createAccount(t.h.database.db, {
      email: "frank@example.com",
      name: "Frank",
      password: "password-frank",
    });
    await createKey(t.h.database, { userId: erin.id });
    await createKey(t.h.database, { userId: erin.id });
    await createKey(t.h.database, { userId: erin.id, expiresAt: new Date(Date.now() - 60_000) });
    const { row: revoked } = await createKey(t.h.database, { userId: erin.id });
    await t.h.database.db
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(eq(apiKeys.id, revoked.id));
    await createKey(t.h.database, { userId: frank.id });
    // The Playground's own key is not one of Erin's keys: her page does not count it either.
    await ensurePlaygroundKey(t.h.database.db, asActor(erin));

    const listed = await listUsers(t.h.database.db, asActor(t.value.admin));
    const count = (email: string) => listed.find((u) => u.email === email)?.activeKeys;
    expect(count("erin@example.com")).toBe(2);
    expect(count("frank@example.com")).toBe(1);
    expect(count("root@example.com")).toBe(0);
  });

  it("always keeps one active platform admin", async () => {
    await expect(
      setUserRole(t.h.database.db, asActor(t.value.admin), t.value.admin.id, "user"),
    ).rejects.toMatchObject({ code: "last_admin" });
    await expect(
      setUserDisabled(t.h.database.db, asActor(t.value.admin), t.value.admin.id, true),
    ).rejects.toMatchObject({ code: "cannot_disable_self" });
  });

  it("a disabled user cannot sign in and their key is refused on the very next request", async () => {
    const carol = await createAccount(t.h.database.db, {
      email: "carol@example.com",
      name: "Carol",
      password: "password-carol",
    });
    const { key } = await createKey(t.h.database, { userId: carol.id });
    const client = new OpenAI({ apiKey: key, baseURL: t.h.baseURL, maxRetries: 0 });
    const ok = await client.chat.completions.create({
      model: "modelbridge/echo",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(ok.choices[0].message.content).toBeTruthy();

    await setUserDisabled(t.h.database.db, asActor(t.value.admin), carol.id, true);
    expect(
      await verifyCredentials(t.h.database.db, "carol@example.com", "password-carol"),
    ).toBeNull();
    const refused = await client.chat.completions
      .create({ model: "modelbridge/echo", messages: [{ role: "user", content: "hi" }] })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    // Not invalid_api_key: the key is right, its owner's account is disabled.
    expect(refused).toMatchObject({ status: 401, code: "account_disabled" });
    expect((refused as InstanceType<typeof OpenAI.APIError>).type).toBe("authentication_error");
    // The same code in Anthropic's envelope on /v1/messages.
    const messages = await fetch(`${t.h.baseURL}/messages`, {
      method: "POST",
      headers: {
        "x-api-key": key,
        "content-type": "application/json",
        "anthropic-version": "2023-06-01",
      },
      body: JSON.stringify({
        model: "modelbridge/echo",
        max_tokens: 5,
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    expect(messages.status).toBe(401);
    expect(await messages.json()).toMatchObject({
      type: "error",
      error: { type: "authentication_error", code: "account_disabled" },
    });

    await setUserDisabled(t.h.database.db, asActor(t.value.admin), carol.id, false);
    expect(
      await verifyCredentials(t.h.database.db, "carol@example.com", "password-carol"),
    ).not.toBeNull();
    await expect(
      client.chat.completions.create({
        model: "modelbridge/echo",
        messages: [{ role: "user", content: "again" }],
      }),
    ).resolves.toBeTruthy();

    const audit = await t.h.database.db.select().from(auditLog);
    expect(audit.filter((row) => row.targetId === carol.id).map((row) => row.action)).toEqual([
      "user.disable",
      "user.enable",
    ]);
  });

  it("makes another user an admin, after which the first may step down", async () => {
    const dave = await createAccount(t.h.database.db, {
      email: "dave@example.com",
      name: "Dave",
      password: "password-dave",
    });
    await setUserRole(t.h.database.db, asActor(t.value.admin), dave.id, "admin");
    await setUserRole(t.h.database.db, asActor(t.value.admin), t.value.admin.id, "user");
    const roles = Object.fromEntries(
      (await listUsers(t.h.database.db, asActor({ ...dave, role: "admin" }))).map((u) => [
        u.email,
        u.role,
      ]),
    );
    expect(roles).toMatchObject({ "dave@example.com": "admin", "root@example.com": "user" });
  });
});
