#!/usr/bin/env bash
# Makes sure a Redis server answers on $REDIS_HOST:$REDIS_PORT (the status API's shared
# rate-limit store). Uses a running server as it is; otherwise starts Debian's redis-server
# in the background (memory only: no snapshot files), installing the package when missing
# (root only).
set -euo pipefail

REDIS_HOST="${REDIS_HOST:-127.0.0.1}" REDIS_PORT="${REDIS_PORT:-6379}"

ready() { [ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "redis: not installed, installing Debian's redis-server package" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "redis: no redis-server found; install Redis or set REDIS_HOST/REDIS_PORT" >&2
    exit 1
  fi
fi

if ! ready; then
  echo "redis: starting redis-server on $REDIS_HOST:$REDIS_PORT" >&2
  redis-server --bind "$REDIS_HOST" --port "$REDIS_PORT" --save '' --appendonly no --daemonize yes >/dev/null
  for _ in $(seq 1 40); do ready && break; sleep 0.25; done
fi
if ! ready; then
  echo "redis: nothing answers PONG on $REDIS_HOST:$REDIS_PORT" >&2
  exit 1
fi
echo "redis: ready on $REDIS_HOST:$REDIS_PORT" >&2
