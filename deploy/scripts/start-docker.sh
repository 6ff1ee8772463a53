#!/usr/bin/env bash
# Starts a local Docker engine for Opflow's container tests and image builds.
#
# Idempotent: does nothing if `docker info` already answers. Otherwise installs docker.io
# (and debootstrap, which build-images.sh needs) from the machine's apt sources, starts
# `dockerd --storage-driver=vfs` in the background and waits for it. vfs is used because
# these machines run inside a container where overlayfs cannot be stacked.
#
# Exits non-zero when the engine cannot be started: CI must fail, not silently skip.
set -euo pipefail

LOG_FILE="${OPFLOW_DOCKERD_LOG:-/var/log/opflow-dockerd.log}"
SOCKET="/var/run/docker.sock"
TIMEOUT_SECONDS="${OPFLOW_DOCKERD_TIMEOUT:-60}"

die() {
  echo "start-docker: ERROR: $*" >&2
  exit 1
}

print_env() {
  cat <<'ENV'
start-docker: Docker engine is up. Testcontainers needs:
  export TESTCONTAINERS_RYUK_DISABLED=true
  export TESTCONTAINERS_HOST_OVERRIDE=localhost
ENV
}

engine_answers() {
  docker info >/dev/null 2>&1
}

install_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
  [[ ${#missing[@]} -eq 0 ]] && return 0
  [[ $(id -u) -eq 0 ]] || die "need root to install ${missing[*]} (run with sudo)"
  echo "start-docker: installing ${missing[*]} with apt"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
}

start_daemon() {
  [[ $(id -u) -eq 0 ]] || die "need root to start dockerd"
  if pgrep -x dockerd >/dev/null 2>&1; then
    echo "start-docker: dockerd already running, waiting for it to answer"
    return 0
  fi
  mkdir -p "$(dirname "$LOG_FILE")"
  echo "start-docker: starting dockerd --storage-driver=vfs (log: $LOG_FILE)"
  # setsid + nohup: the daemon must outlive this script and the CI step that ran it.
  setsid nohup dockerd --storage-driver=vfs >>"$LOG_FILE" 2>&1 </dev/null &
}

wait_for_engine() {
  local deadline=$((SECONDS + TIMEOUT_SECONDS))
  until [[ -S $SOCKET ]] && engine_answers; do
    if ((SECONDS >= deadline)); then
      echo "start-docker: last lines of $LOG_FILE:" >&2
      tail -n 20 "$LOG_FILE" >&2 || true
      die "Docker engine did not answer within ${TIMEOUT_SECONDS}s"
    fi
    sleep 0.5
  done
}

main() {
  install_packages
  if command -v docker >/dev/null 2>&1 && engine_answers; then
    print_env
    return 0
  fi
  start_daemon
  wait_for_engine
  print_env
}

main "$@"
