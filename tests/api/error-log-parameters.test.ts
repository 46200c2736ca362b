import { describe, expect, it, vi } from "vitest";
import { apiKeys } from "@/db/schema";
import { errorResponse } from "@/lib/api/route";
import { loggableError } from "@/lib/errors/loggable-error";
import { harnessWithUser } from "../helpers/harness";

/**
 * A database error that reaches the 500 path is logged without the values bound to the
 * failed query: drizzle writes them into its message ("params: …"), and they include key
 * hashes, emails and whatever a user typed.
 */
vi.mock("@/lib/auth", () => ({ auth: async () => null }));

const t = harnessWithUser();

const SECRET_HASH = "a".repeat(40) + "5ec7e7ha5h" + "b".repeat(14);

/** A real failed insert: a NUL in a text column, next to a key hash among the parameters. */
async function failedInsert(): Promise<unknown> {
  try {
    await t.h.database.db.insert(apiKeys).values({
      name: "bad\u0000name",
      type: "model_serving",
      keyHash: SECRET_HASH,
      prefix: "mb_live_",
      last4: "zzzz",
      createdBy: t.value.userId,
    });
  } catch (error) {
    return error;
  }
  throw new Error("the insert was expected to fail");
}

describe("error logs and query parameters", () => {
  it("the failed query's error does carry the parameters (what the log must not show)", async () => {
    const error = await failedInsert();
    expect(String(error)).toContain(SECRET_HASH);
  });

  it("/api/v1's 500 path logs the database's message and code, never the parameters", async () => {
    const error = await failedInsert();
    const logged: string[] = [];
    const spy = vi
      .spyOn(console, "error")
      .mockImplementation((line: unknown) => void logged.push(String(line)));
    try {
      const response = errorResponse(error, "req_test");
      expect(response.status).toBe(500);
    } finally {
      spy.mockRestore();
    }
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain("DatabaseError");
    expect(logged[0]).not.toContain(SECRET_HASH);
    expect(logged[0]).not.toContain("bad");
    expect(logged[0]).not.toContain("params");
  });

  it("stack traces logged by the gateway keep their frames and lose the message with the parameters", async () => {
    const text = loggableError(await failedInsert(), { stack: true });
    expect(text).toMatch(/^DatabaseError/);
    expect(text).not.toContain(SECRET_HASH);
    expect(text).toContain("    at ");
  });
});
