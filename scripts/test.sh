#!/usr/bin/env bash
# `npm test`: unit/integration tests (vitest), then a production build and the end-to-end
# tests (Playwright, Chromium). Both halves always run; the exit code is non-zero if either
# failed. Set TEST_DATABASE_URL=postgres://… to run everything against a Postgres server
# (each test file and the e2e server get a scratch database there) instead of PGlite.
set -u
cd "$(dirname "$0")/.."
status=0
npx vitest run || status=1
npm run build || { echo "build failed" >&2; exit 1; }
npx playwright test || status=1
exit $status
