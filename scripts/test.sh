#!/usr/bin/env bash
# `npm test`: unit/integration tests (vitest), then a production build and the end-to-end
# tests (Playwright, Chromium). Both halves always run; the exit code is non-zero if either
# failed. Set TEST_DATABASE_URL=postgres://… to run everything against a Postgres server
# (each test file and the e2e server get a scratch database there) instead of PGlite.
# On Postgres the load-balanced suite runs too (playwright.lb.config.ts): nginx in front of
# three processes on that Postgres and a Redis (TEST_REDIS_URL, default the local one). It
# does not run on PGlite: the embedded database is one process by construction, so there
# is nothing to balance, and the Postgres pass already runs it once per `.ci/run`.
set -u
cd "$(dirname "$0")/.."
status=0
npx vitest run || status=1
npm run build || { echo "build failed" >&2; exit 1; }
npx playwright test || status=1
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  TEST_REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379}" \
    MB_REPORT_DIR="${MB_REPORT_DIR:+${MB_REPORT_DIR}-lb}" \
    npx playwright test --config playwright.lb.config.ts || status=1
fi
exit $status
