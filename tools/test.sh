#!/usr/bin/env bash
# `npm test`: brings up what the tests need, then runs every project's tests in one Jest run.
set -euo pipefail
cd "$(dirname "$0")/.."

bash infra/postgres/ensure.sh
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/case_status_test}"

# Types and the dependency rule are checked first: SWC, which runs the tests, does not type-check.
nx run-many -t typecheck lint --output-style=static

mkdir -p tmp
status=0
jest --config jest.config.js --json --outputFile=tmp/jest-results.json "$@" || status=$?
node tools/print-test-summary.mjs tmp/jest-results.json
exit "$status"
