#!/usr/bin/env bash
# `npm test`: brings up what the tests need, then runs every project's tests in one Jest run.
set -euo pipefail
cd "$(dirname "$0")/.."

bash infra/postgres/ensure.sh
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/case_status_test}"
# The status API's shared rate-limit store; tests key their counts under their own prefixes.
bash infra/redis/ensure.sh
export TEST_REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379}"
# The website's browser tests drive Debian's Chromium.
CHROMIUM_PATH="$(bash infra/browser/ensure.sh)"
export CHROMIUM_PATH
# The alert rules' tests and the scrape test run Debian's Prometheus server and promtool.
PROMETHEUS_BIN_DIR="$(bash infra/prometheus/ensure.sh)"
export PROMETHEUS_BIN_DIR

# Kafka: a broker already running (someone's own) is used and left running; otherwise this run
# starts one on fresh storage (fetching the jars with Maven the first time) and stops it on exit,
# whatever the outcome.
if bash infra/kafka/status.sh >/dev/null; then
  bash infra/kafka/wait.sh
else
  trap 'bash infra/kafka/stop.sh' EXIT
  trap 'exit 130' INT TERM
  bash infra/kafka/start.sh --fresh
fi
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"
# Client settings of the same broker's SASL_SSL listener (TLS + SCRAM), for the tests of the
# client's security settings.
KAFKA_SASL_SSL_ENV_FILE="${KAFKA_SASL_SSL_ENV_FILE:-$(source infra/kafka/env.sh && echo "$KAFKA_SASL_SSL_ENV_FILE")}"
export KAFKA_SASL_SSL_ENV_FILE

# Types and the dependency rule are checked first: SWC, which runs the tests, does not type-check.
nx run-many -t typecheck lint --output-style=static
# Files, dependencies and binaries nothing uses fail the run; unused exports are listed (knip.json).
knip --no-progress

mkdir -p tmp
# The embedded database (PGlite) loads its WASM with a dynamic import, which Jest's module
# sandbox only allows with this flag.
export NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules"
status=0
jest --config jest.config.js --json --outputFile=tmp/jest-results.json "$@" || status=$?
node tools/print-test-summary.mjs tmp/jest-results.json
exit "$status"
