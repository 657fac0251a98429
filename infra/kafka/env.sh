# Shared settings of the Kafka scripts (sourced, not run). Every value can be overridden from the
# environment, so a second broker (e.g. one a test stops and restarts) can run beside the first:
#   KAFKA_PORT=19092 bash infra/kafka/start.sh
KAFKA_VERSION="${KAFKA_VERSION:-4.4.0}"
KAFKA_HOST="${KAFKA_HOST:-127.0.0.1}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
# A second client listener that needs TLS and SASL (SCRAM-SHA-256/512, PLAIN), so the client's
# security settings are tested against the real thing.
KAFKA_SASL_SSL_PORT="${KAFKA_SASL_SSL_PORT:-$((KAFKA_PORT + 2))}"
# Jars live outside git, one directory per version, fetched once by Maven.
KAFKA_CACHE="${KAFKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/case-status}"
KAFKA_LIBS="$KAFKA_CACHE/kafka-$KAFKA_VERSION/libs"
# Storage, config, pid and log of one broker (one per client port).
KAFKA_RUN_DIR="${KAFKA_RUN_DIR:-$KAFKA_CACHE/kafka-$KAFKA_VERSION/run-$KAFKA_PORT}"
KAFKA_PID_FILE="$KAFKA_RUN_DIR/kafka.pid"
KAFKA_LOG_FILE="$KAFKA_RUN_DIR/kafka.log"
# The SASL_SSL listener's CA, keystore, and the client settings a test needs to reach it
# (KAFKA_* variables as the services read them, with a user created when storage is formatted).
KAFKA_TLS_DIR="$KAFKA_RUN_DIR/tls"
KAFKA_SASL_SSL_ENV_FILE="$KAFKA_RUN_DIR/sasl-ssl.env"
# Fixed so that formatting is reproducible; it is the base64 of 16 bytes, as Kafka requires.
KAFKA_CLUSTER_ID="${KAFKA_CLUSTER_ID:-Y2FzZS1zdGF0dXMta2Fmaw}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m}"
KAFKA_JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

kafka_running() {
  [ -f "$KAFKA_PID_FILE" ] && kill -0 "$(cat "$KAFKA_PID_FILE")" 2>/dev/null
}

# The broker settings that say how many copies of a record there are: every topic's default and
# every internal topic's (consumer offsets, transactions, share groups) get $1 replicas, and a
# write needs $2 of them in sync. One node: 1 and 1; the three-node cluster: 3 and 2.
kafka_replication_properties() {
  cat <<PROPS
default.replication.factor=$1
min.insync.replicas=$2
offsets.topic.replication.factor=$1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=$1
transaction.state.log.min.isr=$2
share.coordinator.state.topic.replication.factor=$1
share.coordinator.state.topic.min.isr=$2
PROPS
}
