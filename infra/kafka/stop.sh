#!/usr/bin/env bash
# Stops the broker that start.sh started (the one on $KAFKA_PORT): SIGTERM for a controlled
# shutdown, SIGKILL if it has not exited after $KAFKA_STOP_TIMEOUT seconds. Storage is kept.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"
timeout="${KAFKA_STOP_TIMEOUT:-20}"

if ! kafka_running; then
  rm -f "$KAFKA_PID_FILE"
  echo "kafka: not running on port $KAFKA_PORT"
  exit 0
fi
pid="$(cat "$KAFKA_PID_FILE")"
kill -TERM "$pid"
for _ in $(seq 1 $((timeout * 10))); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$pid" 2>/dev/null; then
  echo "kafka: pid $pid still running after ${timeout}s, killing it"
  kill -KILL "$pid" 2>/dev/null || true
fi
rm -f "$KAFKA_PID_FILE"
echo "kafka: stopped (pid $pid)"
