#!/usr/bin/env bash
# Copies the Apache Kafka broker jars and their runtime dependencies from Maven Central into
# $KAFKA_LIBS (outside git). Does nothing when they are already there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"

if [ -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]; then
  exit 0
fi
if ! command -v mvn >/dev/null 2>&1; then
  echo "kafka: Maven (mvn) is needed to fetch the broker jars from Maven Central" >&2
  exit 1
fi
echo "kafka: fetching Apache Kafka $KAFKA_VERSION from Maven Central into $KAFKA_LIBS"
start=$(date +%s)
# Copy into a scratch directory first, so an interrupted fetch never looks complete.
tmp="$KAFKA_LIBS.partial.$$"
rm -rf "$tmp"
mkdir -p "$(dirname "$KAFKA_LIBS")"
log="$(dirname "$KAFKA_LIBS")/fetch.log"
if ! mvn -B -Dstyle.color=never -f "$here/pom.xml" dependency:copy-dependencies \
  -Dkafka.version="$KAFKA_VERSION" -Dkafka.libs="$tmp" >"$log" 2>&1; then
  rm -rf "$tmp"
  tail -n 40 "$log" >&2
  echo "kafka: Maven could not fetch org.apache.kafka:kafka_2.13:$KAFKA_VERSION" >&2
  exit 1
fi
rm -rf "$KAFKA_LIBS"
mv "$tmp" "$KAFKA_LIBS"
echo "kafka: fetched $(ls "$KAFKA_LIBS" | wc -l) jars in $(( $(date +%s) - start ))s"
