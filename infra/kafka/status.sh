#!/usr/bin/env bash
# Exit status 0 when the broker start.sh started on $KAFKA_PORT is running, 1 when it is not.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"
if kafka_running; then
  echo "kafka: running on $KAFKA_HOST:$KAFKA_PORT (pid $(cat "$KAFKA_PID_FILE"), Apache Kafka $KAFKA_VERSION)"
else
  echo "kafka: not running on port $KAFKA_PORT"
  exit 1
fi
