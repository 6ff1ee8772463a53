#!/usr/bin/env bash
# One-shot, once the broker answers (the setup service, in the opflow/opflow image): as the
# admin principal (super user), create the Opflow topics and give each role's principal exactly
# its ACLs (docs/security.md). Safe to run again: present topics are checked, ACLs re-created.
# In Kubernetes, the opflow-setup Job (kubernetes/setup-job.yaml) runs it.
#
#   setup.sh [TOPICS OPTION]...     # such as --replication-factor=3, passed to opflow topics
#
# OPFLOW_BOOTSTRAP_SERVERS (default kafka:9093) and OPFLOW_ADMIN_CONFIG (the admin client's
# settings file, default /run/secrets/admin) say where and as whom. OPFLOW_SCRAM_USERS, when set,
# is a file of SCRAM-SHA-512=[name=...,password=...] lines (make-secrets.sh's scram-users): those
# users are created, or their passwords set, first (the admin's own line is left alone).
set -euo pipefail

BOOTSTRAP=${OPFLOW_BOOTSTRAP_SERVERS:-kafka:9093}
ADMIN=${OPFLOW_ADMIN_CONFIG:-/run/secrets/admin}

opflow() {
  java -cp "/opt/opflow/opflow.jar:/opt/opflow/opflow-example-slack-hooks.jar:/opt/opflow/definitions/*" io.opflow.cli.Main "$@"
}

# The broker's port opens a little before it serves requests: try the first command again.
for attempt in $(seq 1 20); do
  if opflow topics -b "$BOOTSTRAP" --command-config "$ADMIN" "$@" --apply; then
    break
  fi
  ((attempt < 20)) || exit 1
  echo "setup: topics not applied yet (attempt $attempt), trying again"
  sleep 2
done

if [[ -n ${OPFLOW_SCRAM_USERS-} ]]; then
  opflow users -b "$BOOTSTRAP" --command-config "$ADMIN" --scram-users "$OPFLOW_SCRAM_USERS" --apply
fi

acls() {
  local role=$1 principal=$2
  shift 2
  opflow acls -b "$BOOTSTRAP" --command-config "$ADMIN" --role "$role" \
    --principal "$principal" "$@" --apply
}

acls coordinator User:coordinator
acls worker User:worker
acls hooks-runner User:hooks-runner
acls hooks-runner User:hooks-runner-failures --group opflow-hooks-failures
# opflow submit --watch: it submits and reads the run's events.
acls submitter User:cli
acls watcher User:cli
echo "setup: topics and ACLs in place"
