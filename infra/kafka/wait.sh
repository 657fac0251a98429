#!/usr/bin/env bash
# Waits until the broker on $KAFKA_HOST:$KAFKA_PORT answers Kafka requests; gives up after
# $KAFKA_WAIT_TIMEOUT seconds (default 60), or at once if the broker process start.sh started has
# exited, printing the end of its log.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"
root="$(cd "$here/../.." && pwd)"
node="$root/node_modules/.bin/node"
[ -x "$node" ] || node=node

pid=""
[ -f "$KAFKA_PID_FILE" ] && pid="$(cat "$KAFKA_PID_FILE")"
# kafkajs 2.2.4 passes a negative timeout to setTimeout on Node 24; the warning is noise.
if ! "$node" --disable-warning=TimeoutNegativeWarning "$here/wait-for-broker.mjs" "$KAFKA_HOST:$KAFKA_PORT" "${KAFKA_WAIT_TIMEOUT:-60}" $pid; then
  if [ -f "$KAFKA_LOG_FILE" ]; then
    echo "kafka: last lines of $KAFKA_LOG_FILE:" >&2
    tail -n 30 "$KAFKA_LOG_FILE" >&2
  fi
  exit 1
fi
