#!/usr/bin/env bash
# Makes a throw-away CA and a broker certificate signed by it for the SASL_SSL listener, into
# $KAFKA_TLS_DIR: ca.pem (what clients trust) and broker.p12 (the broker's keystore). Does
# nothing when they are already there, so a restart keeps the certificate clients trust.
# openssl is used when present (milliseconds); otherwise Java's keytool (a JVM per step).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"

if [ -f "$KAFKA_TLS_DIR/broker.p12" ] && [ -f "$KAFKA_TLS_DIR/ca.pem" ]; then
  exit 0
fi
# The keystore only guards a test certificate that sits beside it; Kafka insists on a password.
pass="case-status-test"
days=825
if [[ "$KAFKA_HOST" =~ ^[0-9.]+$ ]]; then san="IP:$KAFKA_HOST,DNS:localhost"; else san="DNS:$KAFKA_HOST,DNS:localhost"; fi
tmp="$KAFKA_TLS_DIR.partial.$$"
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

if command -v openssl >/dev/null 2>&1; then
  (
    cd "$tmp"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days "$days" \
      -subj "/CN=case-status test CA" -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout broker.key -out broker.csr -subj "/CN=$KAFKA_HOST" 2>/dev/null
    printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$san" > broker.ext
    openssl x509 -req -in broker.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out broker.pem \
      -days "$days" -extfile broker.ext 2>/dev/null
    openssl pkcs12 -export -in broker.pem -inkey broker.key -certfile ca.pem -name broker \
      -out broker.p12 -passout "pass:$pass"
  )
else
  keytool="${JAVA_HOME:+$JAVA_HOME/bin/}keytool"
  (
    cd "$tmp"
    "$keytool" -genkeypair -alias ca -dname "CN=case-status test CA" -keyalg RSA -keysize 2048 \
      -validity "$days" -ext bc:c -keystore ca.p12 -storetype PKCS12 -storepass "$pass" >/dev/null 2>&1
    "$keytool" -exportcert -rfc -alias ca -keystore ca.p12 -storepass "$pass" > ca.pem
    "$keytool" -genkeypair -alias broker -dname "CN=$KAFKA_HOST" -keyalg RSA -keysize 2048 \
      -validity "$days" -keystore broker.p12 -storetype PKCS12 -storepass "$pass" >/dev/null 2>&1
    "$keytool" -certreq -alias broker -keystore broker.p12 -storepass "$pass" \
      | "$keytool" -gencert -alias ca -keystore ca.p12 -storepass "$pass" -validity "$days" \
          -ext "SAN=$san" -ext "EKU=serverAuth" -rfc > broker.pem
    # The reply carries the whole chain, so keytool accepts it without trusting the CA first.
    cat broker.pem ca.pem | "$keytool" -importcert -alias broker -keystore broker.p12 \
      -storepass "$pass" -noprompt >/dev/null 2>&1
  )
fi
chmod 600 "$tmp"/*
printf '%s\n' "$pass" > "$tmp/password"
rm -rf "$KAFKA_TLS_DIR"
mv "$tmp" "$KAFKA_TLS_DIR"
trap - EXIT
echo "kafka: made a test CA and broker certificate in $KAFKA_TLS_DIR"
