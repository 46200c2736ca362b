import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { setProcessDatabase, type Database } from "@/db/client";
import { FieldError, NotFoundError } from "@/lib/errors/domain-errors";
import type { FormState } from "@/lib/forms/form-state";
import { makeActor, makeAdmin } from "@/tests/helpers/actors";
import { openTestDatabase } from "@/tests/helpers/database";

/**
 * The one action wrapper, on a real database: only next-auth's `auth()` (it cannot load
 * outside Next) and Next's cache revalidation are replaced.
 */
const state = vi.hoisted(() => ({
  session: null as { user: { id: string }; sessionVersion: number } | null,
  revalidated: [] as string[],
}));
vi.mock("@/lib/auth", () => ({ auth: async () => state.session }));
vi.mock("next/cache", () => ({ revalidatePath: (path: string) => state.revalidated.push(path) }));

const { authedAction, formAction } = await import("@/lib/actions/authed-action");

let database: Database;
let userId: string;
let adminId: string;
beforeAll(async () => {
  database = await openTestDatabase();
  setProcessDatabase(database);
  userId = (await makeActor(database.db, "Member")).user.id;
  adminId = (await makeAdmin(database.db, "Root")).user.id;
});
afterAll(async () => {
  await database?.close();
});

const signIn = (id: string | null) => {
  state.session = id ? { user: { id }, sessionVersion: 0 } : null;
};

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};

const rename = formAction(
  {
    input: z.object({
      team_id: z.string().min(1, "Choose an owner"),
      name: z.string().min(1, "Enter a name"),
    }),
    read: (data) => ({ team_id: data.get("owner") ?? "", name: data.get("name") ?? "" }),
    keep: ["name"],
    fields: { team_id: "owner" },
    revalidate: ["/somewhere"],
  },
  async ({ actor, input }): Promise<FormState> => {
    if (input.name === "taken") throw new FieldError("team_id", "That owner already has one");
    if (input.name === "gone") throw new NotFoundError("team");
    if (input.name === "bug") throw new TypeError("a bug");
    return { ok: true, formError: actor.user.id };
  },
);

describe("formAction", () => {
  it("runs the handler as the session's user and revalidates", async () => {
    signIn(userId);
    state.revalidated = [];
    expect(await rename({}, form({ owner: "t", name: "ok" }))).toEqual({
      ok: true,
      formError: userId,
    });
    expect(state.revalidated).toEqual(["/somewhere"]);
  });

  it("answers a signed-out caller with the one message, keeping what was typed", async () => {
    signIn(null);
    expect(await rename({}, form({ owner: "t", name: "kept" }))).toEqual({
      formError: "Your session has ended. Sign in again.",
      values: { name: "kept" },
    });
  });

  it("puts zod's and the service's errors on the form's own field names", async () => {
    signIn(userId);
    expect(await rename({}, form({ owner: "", name: "x" }))).toMatchObject({
      fieldErrors: { owner: "Choose an owner" },
    });
    expect(await rename({}, form({ owner: "t", name: "taken" }))).toMatchObject({
      fieldErrors: { owner: "That owner already has one" },
      values: { name: "taken" },
    });
    expect(await rename({}, form({ owner: "t", name: "gone" }))).toMatchObject({
      formError: "No such team. It may have been removed; refresh the page.",
    });
  });

  it("rethrows a bug to the error boundary", async () => {
    signIn(userId);
    await expect(rename({}, form({ owner: "t", name: "bug" }))).rejects.toThrow(TypeError);
  });
});

describe("authedAction", () => {
  const adminOnly = authedAction(
    {
      input: z.object({ id: z.uuid() }),
      requires: "platform_admin",
      doing: "do this",
      invalid: "No such thing.",
    },
    async ({ input }) => ({ done: input.id }),
  );

  it("refuses others than platform admins before the handler, and bad input with the given message", async () => {
    const id = "00000000-0000-4000-8000-000000000000";
    signIn(userId);
    expect(await adminOnly({ id })).toEqual({
      ok: false,
      error: "Only platform admins can do this.",
    });
    signIn(adminId);
    expect(await adminOnly({ id })).toEqual({ done: id });
    expect(await adminOnly({ id: "nope" })).toEqual({ ok: false, error: "No such thing." });
  });
});
