#!/usr/bin/env bash
# One-shot, before the broker starts (the kafka-init service, in the opflow/kafka image):
#
# 1. Certificates, once: an authority, whose certificate (/etc/opflow/tls/ca.crt, public) every
#    client trusts, and the broker's key store (/etc/kafka/keys/broker.p12) it signed, for the
#    host name kafka. The authority's key is thrown away: nothing else is signed.
# 2. Storage, once: formatted with the SCRAM-SHA-512 users of /run/secrets/scram-users, so the
#    broker authenticates its own admin (and the roles) from its first start (KRaft keeps SCRAM
#    credentials in its metadata; SCRAM cannot authenticate the controller listener itself).
#
# Passwords are read from the mounted secrets, never from the command line or the environment
# compose sets; keytool takes them through -storepass:env from this script's own environment.
set -euo pipefail

TLS=/etc/opflow/tls
KEYS=/etc/kafka/keys
CONFIG=/mnt/shared/config/server.properties
DATA=/var/lib/kafka/data

STORE_PASSWORD=$(sed -n 's/^keystore\.password=//p' /run/secrets/kafka)
export STORE_PASSWORD

keytool_() {
  keytool "$@" -storepass:env STORE_PASSWORD
}

make_certificates() {
  local work
  work=$(mktemp -d)
  keytool_ -genkeypair -alias ca -dname "CN=Opflow example CA" -ext bc:c -keyalg RSA \
    -keysize 2048 -validity 365 -keystore "$work/ca.p12" -storetype PKCS12
  keytool_ -exportcert -rfc -alias ca -keystore "$work/ca.p12" -file "$work/ca.crt"
  keytool_ -genkeypair -alias broker -dname "CN=kafka" -keyalg RSA -keysize 2048 -validity 365 \
    -keystore "$KEYS/broker.p12" -storetype PKCS12
  keytool_ -certreq -alias broker -keystore "$KEYS/broker.p12" -file "$work/broker.csr"
  keytool_ -gencert -rfc -alias ca -keystore "$work/ca.p12" -validity 365 \
    -ext SAN=dns:kafka,dns:localhost -infile "$work/broker.csr" -outfile "$work/broker.crt"
  keytool_ -importcert -noprompt -alias ca -file "$work/ca.crt" -keystore "$KEYS/broker.p12"
  keytool_ -importcert -noprompt -alias broker -file "$work/broker.crt" -keystore "$KEYS/broker.p12"
  cp "$work/ca.crt" "$TLS/ca.crt"
  chmod 644 "$TLS/ca.crt"
  chmod 600 "$KEYS/broker.p12"
  rm -rf "$work"
}

format_storage() {
  local args=() line
  while IFS= read -r line; do
    [[ -z $line || $line == \#* ]] || args+=(--add-scram "$line")
  done </run/secrets/scram-users
  # Its output lists every user's salted keys: shown only when it fails.
  local output
  if ! output=$(java -cp "/opt/kafka/libs/*" kafka.tools.StorageTool format \
    --cluster-id "$CLUSTER_ID" --config "$CONFIG" "${args[@]}" 2>&1); then
    echo "$output" >&2
    exit 1
  fi
  echo "init-kafka: ${output##*$'\n'}"
}

if [[ -f $KEYS/broker.p12 && -f $TLS/ca.crt ]]; then
  echo "init-kafka: certificates present"
else
  echo "init-kafka: making the authority and the broker's certificate"
  make_certificates
fi
if [[ -f $DATA/meta.properties ]]; then
  echo "init-kafka: storage formatted already"
else
  echo "init-kafka: formatting storage with $(grep -c '^SCRAM' /run/secrets/scram-users) SCRAM users"
  format_storage
fi
