import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configurationMarkdown, envExample, variables } from "./env-docs";

describe("the configuration docs", () => {
  it("describe every variable lib/env.ts reads", () => {
    const undocumented = variables().filter((v) => v.description.trim() === "");
    expect(undocumented.map((v) => v.name)).toEqual([]);
  });

  it("are what lib/env.ts generates (run `npx tsx scripts/env-docs.ts` after changing it)", () => {
    expect(readFileSync("docs/configuration.md", "utf8")).toBe(configurationMarkdown());
    expect(readFileSync(".env.example", "utf8")).toBe(envExample());
  });
});
