import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** A fresh clone has only the repository: its README and docs must not point outside it. */
const pages = ["README.md", ...readdirSync("docs").map((name) => `docs/${name}`)].filter((p) =>
  p.endsWith(".md"),
);

describe("README and docs", () => {
  it.each(pages)("%s links only to files in the repository", (page) => {
    const text = readFileSync(page, "utf8");
    const outside = [...text.matchAll(/`?\.\.\/shared\/[^`\s)]*`?/g)].map((m) => m[0]);
    const missing = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
      .map((m) => m[1])
      .filter((target) => !/^[a-z]+:/.test(target))
      .filter((target) => !existsSync(path.join(path.dirname(page), target)));
    expect({ outside, missing }).toEqual({ outside: [], missing: [] });
  });
});
