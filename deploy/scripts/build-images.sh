#!/usr/bin/env bash
# Builds every Docker image Opflow's tests and deployments need, without pulling anything:
# no registry is reachable from the build machines, so even the base image is made here.
#
#   opflow/jre:17        Debian bookworm (debootstrap) + openjdk-17-jre-headless
#   opflow/kafka:4.4.0   Kafka broker honouring the apache/kafka image's environment contract
#   opflow/opflow:dev    Opflow runtime (coordinator, worker, hooks-runner); needs the lean
#                        cli/target/opflow.jar and examples/slack-hooks/target/opflow-example-slack-hooks.jar
#
# Usage: build-images.sh [--rebuild] [jre|kafka|opflow]...
#   With no image names, builds jre and kafka, and opflow when both jars exist.
#   An image whose tag already exists is skipped unless --rebuild is given; opflow/opflow:dev
#   is also rebuilt when either jar changed (label io.opflow.jar-sha256).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
JRE_IMAGE="opflow/jre:17"
KAFKA_IMAGE="opflow/kafka:4.4.0"
OPFLOW_IMAGE="opflow/opflow:dev"
OPFLOW_JAR="$ROOT/cli/target/opflow.jar"
EXAMPLE_JAR="$ROOT/examples/slack-hooks/target/opflow-example-slack-hooks.jar"
JAR_SHA_LABEL="io.opflow.jar-sha256"
REBUILD=false

log() { echo "build-images: $*"; }
die() {
  echo "build-images: ERROR: $*" >&2
  exit 1
}

# Runs a noisy step with its output held back, shown (the end of it) only if the step fails.
quietly() {
  local what=$1 out status=0
  shift
  out=$(mktemp /tmp/opflow-build-images.XXXXXX)
  "$@" >"$out" 2>&1 || status=$?
  if ((status != 0)); then
    tail -n 40 "$out" >&2
    rm -f "$out"
    die "$what failed (exit $status)"
  fi
  rm -f "$out"
}

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# True when the image must be (re)built; logs the skip otherwise.
needs_build() {
  if [[ $REBUILD == false ]] && image_exists "$1"; then
    log "$1 exists, skipping (use --rebuild to rebuild)"
    return 1
  fi
}

# The Debian mirror this machine's apt already uses, so debootstrap reaches the same host.
# Reads deb822 *.sources files and one-line *.list files; ignores security and disabled entries.
debian_mirror() {
  local mirror=""
  shopt -s nullglob
  for f in /etc/apt/sources.list.d/*.sources; do
    mirror=$(awk '
      /^[[:space:]]*$/ { if (uri != "" && suites ~ /(^| )bookworm( |$)/) { print uri; exit } uri = ""; suites = "" }
      /^URIs:/ { uri = $2 }
      /^Suites:/ { $1 = ""; suites = $0 " " }
      END { if (uri != "" && suites ~ /(^| )bookworm( |$)/) print uri }' "$f" | head -n 1)
    [[ -n $mirror ]] && break
  done
  if [[ -z $mirror ]]; then
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [[ -f $f ]] || continue
      mirror=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i ~ /:\/\//) { if ($(i + 1) == "bookworm") { print $i; exit } break } }' "$f")
      [[ -n $mirror ]] && break
    done
  fi
  shopt -u nullglob
  [[ -n $mirror ]] || die "no Debian bookworm mirror found in /etc/apt/sources.list{,.d}"
  echo "$mirror"
}

# --- opflow/jre:17 ------------------------------------------------------------------------
build_jre() {
  needs_build "$JRE_IMAGE" || return 0
  command -v debootstrap >/dev/null 2>&1 || die "debootstrap missing (run deploy/scripts/start-docker.sh)"
  local mirror rootfs
  mirror=$(debian_mirror)
  rootfs=$(mktemp -d /tmp/opflow-jre-rootfs.XXXXXX)
  # Unmount and delete the rootfs however this function ends: a leftover proc mount would
  # make the next `rm -rf` walk the host's /proc.
  trap 'cleanup_rootfs "'"$rootfs"'"' EXIT
  log "debootstrap bookworm from $mirror into $rootfs (about a minute)"
  quietly debootstrap debootstrap --variant=minbase bookworm "$rootfs" "$mirror"
  slim_rootfs "$rootfs"
  mount -t proc proc "$rootfs/proc"
  log "installing openjdk-17-jre-headless in the rootfs"
  quietly "apt-get install in the rootfs" chroot "$rootfs" /usr/bin/env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends openjdk-17-jre-headless ca-certificates procps bash
  chroot "$rootfs" apt-get clean
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/tmp/* "$rootfs"/var/log/*.log
  umount "$rootfs/proc"
  log "importing $JRE_IMAGE"
  tar -C "$rootfs" -c . | docker import \
    --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' - "$JRE_IMAGE" >/dev/null
  cleanup_rootfs "$rootfs"
  trap - EXIT
}

# Keeps documentation, man pages and translations out of the image (about 55 MB): with the
# vfs storage driver every container start copies the whole image, so size is start-up time.
# Licence files stay. Directories stay too: openjdk's postinst links into /usr/share/man/man1.
slim_rootfs() {
  local rootfs=$1
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/01-opflow-slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
CFG
  find "$rootfs/usr/share/doc" -type f ! -name copyright -delete
  find "$rootfs/usr/share/man" "$rootfs/usr/share/info" "$rootfs/usr/share/locale" -type f -delete
  mkdir -p "$rootfs/usr/share/man/man1"
}

cleanup_rootfs() {
  local rootfs=$1 mounts
  # Everything mounted below the rootfs (our proc, or what a failed debootstrap left), deepest first.
  mounts=$(awk -v root="$rootfs" '$2 == root || index($2, root "/") == 1 { print $2 }' /proc/mounts | sort -r)
  for m in $mounts; do umount "$m" 2>/dev/null || umount -l "$m" || true; done
  if awk -v root="$rootfs" '$2 == root || index($2, root "/") == 1 { found = 1 } END { exit !found }' /proc/mounts; then
    echo "build-images: WARNING: $rootfs still has mounts, not deleting it" >&2
    return 0
  fi
  rm -rf "$rootfs"
}

# --- opflow/kafka:4.4.0 -------------------------------------------------------------------
build_kafka() {
  needs_build "$KAFKA_IMAGE" || return 0
  image_exists "$JRE_IMAGE" || die "$JRE_IMAGE missing: build it first (build-images.sh jre)"
  local ctx="$ROOT/deploy/kafka"
  log "resolving Kafka jars from Maven Central into $ctx/target/libs"
  rm -rf "$ctx/target/libs"
  quietly "resolving Kafka jars" mvn -B -f "$ctx/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory=target/libs
  log "building $KAFKA_IMAGE"
  quietly "docker build $KAFKA_IMAGE" \
    docker build --build-arg BASE_IMAGE="$JRE_IMAGE" -t "$KAFKA_IMAGE" "$ctx"
}

# --- opflow/opflow:dev --------------------------------------------------------------------
# Runtime image for coordinator, worker and hooks-runner. Needs the lean shaded CLI jar and the
# example's jar from `mvn package` (cli/target/opflow.jar,
# examples/slack-hooks/target/opflow-example-slack-hooks.jar); on a JRE base built here instead of
# the public one.
build_opflow() {
  local explicit=$1 jar
  for jar in "$OPFLOW_JAR" "$EXAMPLE_JAR"; do
    if [[ ! -f $jar ]]; then
      [[ $explicit == true ]] && die "$jar missing: run mvn -B package -DskipTests first"
      log "skipping $OPFLOW_IMAGE: $jar not built yet"
      return 0
    fi
  done
  # One sha256 over both jars, so that a change to either rebuilds the image.
  local sha
  sha=$(cat "$OPFLOW_JAR" "$EXAMPLE_JAR" | sha256sum | cut -d ' ' -f 1)
  opflow_image_current "$sha" && return 0
  image_exists "$JRE_IMAGE" || die "$JRE_IMAGE missing: build it first (build-images.sh jre)"
  log "building $OPFLOW_IMAGE"
  quietly "docker build $OPFLOW_IMAGE" docker build --build-arg BASE_IMAGE="$JRE_IMAGE" \
    --label "$JAR_SHA_LABEL=$sha" \
    -f "$ROOT/deploy/docker/opflow/Dockerfile" -t "$OPFLOW_IMAGE" "$ROOT"
  # The image this one replaced is left untagged; under vfs each is a full copy (about 400 MB).
  # Only dangling images are removed, and none a container still uses.
  docker image prune -f --filter "label=$JAR_SHA_LABEL" >/dev/null
}

# True when $OPFLOW_IMAGE exists and was built from a jar with this sha256 (its label), so
# it is skipped; an image of another jar is rebuilt even without --rebuild, so that tests never
# run a stale image left by an earlier build on the same machine.
opflow_image_current() {
  local sha=$1 built
  [[ $REBUILD == false ]] && image_exists "$OPFLOW_IMAGE" || return 1
  built=$(docker image inspect -f "{{ index .Config.Labels \"$JAR_SHA_LABEL\" }}" "$OPFLOW_IMAGE")
  if [[ $built == "$sha" ]]; then
    log "$OPFLOW_IMAGE is up to date with $OPFLOW_JAR and $EXAMPLE_JAR, skipping"
    return 0
  fi
  log "$OPFLOW_IMAGE was built from another opflow.jar or example jar, rebuilding"
  return 1
}

main() {
  local targets=()
  for arg in "$@"; do
    case $arg in
      --rebuild) REBUILD=true ;;
      jre | kafka | opflow) targets+=("$arg") ;;
      -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
      *) die "unknown argument: $arg" ;;
    esac
  done
  docker info >/dev/null 2>&1 || die "no Docker engine: run deploy/scripts/start-docker.sh"
  if [[ ${#targets[@]} -eq 0 ]]; then
    build_jre
    build_kafka
    build_opflow false
    return 0
  fi
  for target in "${targets[@]}"; do
    case $target in
      jre) build_jre ;;
      kafka) build_kafka ;;
      opflow) build_opflow true ;;
    esac
  done
}

main "$@"
