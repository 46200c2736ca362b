import { describe, expect, it } from "vitest";
import { processPlan } from "./processes";

describe("how many processes npm start runs", () => {
  it("one per core by default with Postgres (WEB_CONCURRENCY=auto); a number sets it", () => {
    expect(processPlan({ DATABASE_URL: "postgres://db/app" }, 4)).toMatchObject({
      workers: 4,
      reason: expect.stringContaining("auto (the default)"),
    });
    expect(
      processPlan({ DATABASE_URL: "postgres://db/app", WEB_CONCURRENCY: "auto" }, 4).workers,
    ).toBe(4);
    expect(processPlan({ DATABASE_URL: "postgres://db/app", WEB_CONCURRENCY: 2 }, 4).workers).toBe(
      2,
    );
    expect(processPlan({ DATABASE_URL: "postgres://db/app", WEB_CONCURRENCY: 1 }, 4).workers).toBe(
      1,
    );
  });

  it("always one on the embedded database, and says why", () => {
    const plan = processPlan({ WEB_CONCURRENCY: 4 }, 4);
    expect(plan.workers).toBe(1);
    expect(plan.reason).toContain("embedded database");
    expect(processPlan({}, 2)).toMatchObject({
      workers: 1,
      reason: expect.stringContaining("DATABASE_URL"),
    });
  });
});
