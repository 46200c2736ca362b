// Sums the JSON reports that vitest and Playwright wrote under MB_REPORT_DIR for each
// database, prints a line per suite and, last, "N passed, N failed".
import fs from "node:fs";
import path from "node:path";

const root = process.argv[2];
let passed = 0;
let failed = 0;
// On Postgres `npm test` also runs the load-balanced suite: its report must be there too.
if (fs.existsSync(path.join(root, "postgres")) && !fs.existsSync(path.join(root, "postgres-lb"))) {
  console.log("postgres-lb playwright.json: missing (the load-balanced suite did not run)");
  failed += 1;
}
for (const database of fs.readdirSync(root).sort()) {
  // `npm test` per database writes both; the load-balanced suite (`postgres-lb`) and the
  // container stage (`containers`) are Playwright only.
  const suites = !["pglite", "postgres"].includes(database)
    ? [["playwright.json", countPlaywright]]
    : [
        ["vitest.json", countVitest],
        ["playwright.json", countPlaywright],
      ];
  for (const [suite, count] of suites) {
    const file = path.join(root, database, suite);
    if (!fs.existsSync(file)) {
      console.log(`${database} ${suite}: missing (the suite did not run)`);
      failed += 1;
      continue;
    }
    const result = count(JSON.parse(fs.readFileSync(file, "utf8")));
    console.log(
      `${database} ${suite.replace(".json", "")}: ${result.passed} passed, ${result.failed} failed`,
    );
    passed += result.passed;
    failed += result.failed;
  }
}
// Lint and type errors found before the suites ran count as one failure.
if (process.env.STATIC_FAILED === "1") {
  console.log("lint/types: failed");
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

function countVitest(report) {
  // A file that failed without a failing test (an import or hook error) counts once.
  const brokenFiles = (report.testResults ?? []).filter(
    (file) =>
      file.status === "failed" &&
      !(file.assertionResults ?? []).some((test) => test.status === "failed"),
  ).length;
  return { passed: report.numPassedTests ?? 0, failed: (report.numFailedTests ?? 0) + brokenFiles };
}

function countPlaywright(report) {
  const stats = report.stats ?? {};
  return {
    passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
    failed: (stats.unexpected ?? 0) + (report.errors?.length ?? 0),
  };
}
