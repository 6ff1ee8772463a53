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

# Runs one opflow command, trying again while it fails: the broker's port opens a little before
# it serves requests, and on a loaded host an admin request can time out. Every command here is
# safe to repeat.
attempts() {
  local tries=$1 attempt
  shift
  for attempt in $(seq 1 "$tries"); do
    if opflow "$@"; then
      return 0
    fi
    ((attempt < tries)) || return 1
    echo "setup: 'opflow $1' failed (attempt $attempt of $tries), trying again"
    sleep 2
  done
}

attempts 20 topics -b "$BOOTSTRAP" --command-config "$ADMIN" "$@" --apply

if [[ -n ${OPFLOW_SCRAM_USERS-} ]]; then
  attempts 5 users -b "$BOOTSTRAP" --command-config "$ADMIN" --scram-users "$OPFLOW_SCRAM_USERS" \
    --apply
fi

acls() {
  local role=$1 principal=$2
  shift 2
  attempts 5 acls -b "$BOOTSTRAP" --command-config "$ADMIN" --role "$role" \
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
