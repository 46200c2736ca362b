// Sums the JSON reports that vitest and Playwright wrote under MB_REPORT_DIR for each
// database, prints a line per suite and, last, "N passed, N failed".
import fs from "node:fs";
import path from "node:path";

const root = process.argv[2];
let passed = 0;
let failed = 0;
// Names of what failed (and of Playwright tests that passed only on a retry), printed just
// above the last line: CI shows only the log's tail, which must say what to look at.
const failures = [];
const flakes = [];
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
    const result = count(JSON.parse(fs.readFileSync(file, "utf8")), database);
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
for (const name of flakes) console.log(`passed on retry: ${name}`);
for (const name of failures) console.log(`FAILED: ${name}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

function countVitest(report, database) {
  const relative = (file) => path.relative(process.cwd(), file);
  for (const file of report.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      if (test.status === "failed") {
        failures.push(
          `${database} vitest ${relative(file.name)} › ${test.fullName}` +
            because((test.failureMessages ?? [])[0]),
        );
      }
    }
  }
  // A file that failed without a failing test (an import or hook error) counts once.
  const broken = (report.testResults ?? []).filter(
    (file) =>
      file.status === "failed" &&
      !(file.assertionResults ?? []).some((test) => test.status === "failed"),
  );
  for (const file of broken) {
    failures.push(`${database} vitest ${relative(file.name)}: ${firstLine(file.message)}`);
  }
  const brokenFiles = broken.length;
  return { passed: report.numPassedTests ?? 0, failed: (report.numFailedTests ?? 0) + brokenFiles };
}

function countPlaywright(report, database) {
  for (const { title, spec, test } of playwrightTests(report.suites ?? [], [])) {
    const name = `${database} playwright ${spec.file}:${spec.line} › ${title}`;
    // The first attempt's error: a retry can fail for a reason of its own (state the first left).
    if (test.status === "unexpected") failures.push(name + because(firstError(test)));
    if (test.status === "flaky") flakes.push(name);
  }
  for (const error of report.errors ?? []) {
    failures.push(`${database} playwright: ${firstLine(error.message)}`);
  }
  const stats = report.stats ?? {};
  return {
    passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
    failed: (stats.unexpected ?? 0) + (report.errors?.length ?? 0),
  };
}

// Every test of a Playwright JSON report with the titles of the describe blocks around it.
function* playwrightTests(suites, titles) {
  for (const suite of suites) {
    const inner = suite.file === suite.title ? titles : [...titles, suite.title];
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        yield { title: [...inner, spec.title].join(" › "), spec, test };
      }
    }
    yield* playwrightTests(suite.suites ?? [], inner);
  }
}

function firstLine(text) {
  return (
    String(text ?? "")
      .replace(/\u001b\[[0-9;]*m/g, "")
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean)[0]
      ?.slice(0, 200) ?? ""
  );
}

/** The error of a Playwright test's first failed attempt. */
function firstError(test) {
  const failed = (test.results ?? []).find((result) => result.error || result.errors?.length);
  return failed?.error?.message ?? failed?.errors?.[0]?.message;
}

/** ", because: <its first line>" on its own indented line, when there is a message. */
function because(message) {
  const line = firstLine(message);
  return line ? `\n    first error: ${line}` : "";
}
