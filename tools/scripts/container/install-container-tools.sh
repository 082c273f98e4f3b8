#!/usr/bin/env bash
# Installs what building and running the images needs where no Docker engine is:
#   buildah      builds the Dockerfiles (build-image.sh)
#   podman, runc run the images (the image tests); crun fails on hosts with hybrid cgroups
#   debootstrap  makes the base image's Debian root filesystem (base-image.sh)
# from the host's apt sources, and writes <repo>/.tools/container/containers.conf for podman:
#   runtime = "runc", and the ulimits of containers capped at this host's hard limits (podman
#   otherwise asks for more open files than an unprivileged or nested host may grant, and
#   every `podman run` fails).
# Point podman at it with CONTAINERS_CONF=<repo>/.tools/container/containers.conf.
#
# Idempotent: commands already on PATH are not installed again, an unchanged containers.conf
# is not rewritten, and nothing is printed then. Installing needs root, or passwordless sudo.
#
# Usage: tools/scripts/container/install-container-tools.sh [COMMAND...]
#   COMMAND  buildah, podman, runc or debootstrap: only what the caller needs (default: all)
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/../../.." && pwd)"
conf_dir="$repo_root/.tools/container"

say() { echo "install-container-tools: $*" >&2; }
fail() {
  say "$*"
  exit 1
}

# command -> Debian package. debian-archive-keyring comes with debootstrap: it verifies the
# Release files it downloads against it.
declare -A package_of=([buildah]=buildah [podman]=podman [runc]=runc [debootstrap]="debootstrap debian-archive-keyring")

mkdir -p "$conf_dir"
# build-image.sh runs once per app, and `nx run-many -t container` runs them side by side;
# apt takes one installer at a time, so the second waits here for the first.
exec 9>"$conf_dir/.install.lock"
flock 9

wanted=("$@")
((${#wanted[@]} > 0)) || wanted=(buildah podman runc debootstrap)
for command in "${wanted[@]}"; do
  [[ -v "package_of[$command]" ]] || fail "installs buildah, podman, runc and debootstrap, not '$command'"
done
# podman runs containers through runc (see containers.conf below).
[[ " ${wanted[*]} " != *" podman "* || " ${wanted[*]} " == *" runc "* ]] || wanted+=(runc)

missing=()
for command in "${wanted[@]}"; do
  # runc and debootstrap live in /usr/sbin, which a non-root PATH may lack.
  command -v "$command" >/dev/null 2>&1 || [[ -x "/usr/sbin/$command" ]] || missing+=("$command")
done

if ((${#missing[@]} > 0)); then
  packages=()
  for command in "${missing[@]}"; do
    read -r -a more <<<"${package_of[$command]}"
    packages+=("${more[@]}")
  done
  command -v apt-get >/dev/null 2>&1 ||
    fail "${missing[*]} missing and there is no apt-get here: install ${packages[*]} with this system's package manager (or run the images with Docker)"
  if ((EUID == 0)); then
    as_root=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    fail "${missing[*]} missing, and installing needs root: run 'apt-get install --no-install-recommends ${packages[*]}' as root, or this script with sudo"
  fi
  say "installing ${packages[*]} (apt-get)"
  started=$SECONDS
  log="$conf_dir/apt-get.log"
  # Recommends are left out: fuse-overlayfs, slirp4netns and uidmap serve rootless use, and
  # crun (podman's first choice) is the runtime that fails here.
  if ! { "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update &&
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      -o DPkg::Lock::Timeout=120 "${packages[@]}"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    fail "apt-get could not install ${packages[*]} (log: $log)"
  fi
  say "installed in $((SECONDS - started)) s: $(dpkg-query -W -f '${Package} ${Version}, ' "${packages[@]}" | sed 's/, $//')"
fi

# The container's limits must not exceed the host's hard limits (they cannot be raised here).
cap() {
  local limit="$1" most="$2"
  [[ "$limit" == unlimited || "$limit" -gt "$most" ]] && limit="$most"
  echo "$limit"
}
nofile="$(cap "$(ulimit -Hn)" 1048576)"
nproc="$(cap "$(ulimit -Hu)" 32768)"
conf="$conf_dir/containers.conf"
conf_text="$(
  cat <<EOF
# Written by tools/scripts/container/install-container-tools.sh for this host; use it with
# CONTAINERS_CONF=$conf
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
runtime = "runc"
EOF
)"
if [[ ! -f "$conf" || "$(cat "$conf")" != "$conf_text" ]]; then
  printf '%s\n' "$conf_text" >"$conf.tmp"
  mv "$conf.tmp" "$conf"
fi
