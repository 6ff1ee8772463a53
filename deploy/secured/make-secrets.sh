#!/usr/bin/env bash
# Writes the secrets of deploy/secured/docker-compose.yml: a random password per principal, and
# each principal's Kafka client settings in a file of its own, which compose mounts into that
# service only (under /run/secrets/). Nothing here is committed; run it once before `up`.
#
#   deploy/secured/make-secrets.sh [DIR]     # default deploy/secured/secrets
#
# DIR, when given, is what OPFLOW_SECRETS_DIR must name for docker-compose. An existing DIR/kafka
# is left alone (the broker's storage already holds the users it names).
#
# Files, one per compose secret:
#   kafka                  the broker's key store password and its own (admin) password
#   scram-users            the SCRAM-SHA-512 users the broker's storage is formatted with
#   admin                  the operator's admin client settings (--command-config of the setup)
#   coordinator, worker, hooks-runner, hooks-runner-failures
#                          each role's kafka.* settings (--config-file), one principal each
#   cli                    settings for `opflow submit --watch` (--command-config)
set -euo pipefail

DIR=${1:-$(dirname "$0")/secrets}
USERS=(admin coordinator worker hooks-runner hooks-runner-failures cli)
ROLES=(coordinator worker hooks-runner hooks-runner-failures)
SCRAM_MODULE=org.apache.kafka.common.security.scram.ScramLoginModule

umask 077
mkdir -p "$DIR"
if [[ -e $DIR/kafka ]]; then
  echo "make-secrets: $DIR/kafka exists, left alone"
  exit 0
fi

random_password() {
  local value=""
  while ((${#value} < 32)); do
    value+=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  done
  echo "${value:0:32}"
}

# Kafka client settings of one user over SASL_SSL, each key after an optional prefix (kafka.).
client_settings() {
  local prefix=$1 user=$2 password=$3
  echo "${prefix}security.protocol=SASL_SSL"
  echo "${prefix}sasl.mechanism=SCRAM-SHA-512"
  echo "${prefix}sasl.jaas.config=$SCRAM_MODULE required username=\"$user\" password=\"$password\";"
  echo "${prefix}ssl.truststore.type=PEM"
  echo "${prefix}ssl.truststore.location=/etc/opflow/tls/ca.crt"
}

declare -A passwords
for user in "${USERS[@]}"; do
  passwords[$user]=$(random_password)
done

: >"$DIR/scram-users"
for user in "${USERS[@]}"; do
  echo "SCRAM-SHA-512=[name=$user,password=${passwords[$user]}]" >>"$DIR/scram-users"
done
client_settings "" admin "${passwords[admin]}" >"$DIR/admin"
client_settings "" cli "${passwords[cli]}" >"$DIR/cli"
for role in "${ROLES[@]}"; do
  client_settings kafka. "$role" "${passwords[$role]}" >"$DIR/$role"
done
{
  echo "keystore.password=$(random_password)"
  echo "admin.password=${passwords[admin]}"
} >"$DIR/kafka"
echo "make-secrets: wrote $(ls "$DIR" | wc -l) secrets to $DIR"
