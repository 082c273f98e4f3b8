#!/usr/bin/env bash
# Makes the root filesystem of the local node:<major>-<suite>-slim stand-in in an empty folder,
# as the official image is made (base-image.sh commits it as an image):
#   - Debian DEBIAN_SUITE minbase (debootstrap, from the host's apt mirror), security and
#     point-release updates applied, slimmed as Debian's slim images are, BASE_PACKAGES added;
#   - Node (node-linux-<arch>@NODE_VERSION from the npm registry) as /usr/local/bin/node, npm
#     (npm@NPM_VERSION) in /usr/local/lib/node_modules/npm with its npm/npx links;
#   - the `node` user and group (1000) and the official image's docker-entrypoint.sh.
#
# Usage: base-rootfs.sh FOLDER NODE_VERSION NODE_ARCH   (as root; base-image.sh calls it)
# Environment: DEBIAN_MIRROR, DEBIAN_SECURITY_MIRROR (default: the host's apt sources, else
# deb.debian.org); logs go to <repo>/.tools/container/logs.
set -euo pipefail
shopt -s inherit_errexit

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/../../.." && pwd)"
# shellcheck source=versions.env
source "$script_dir/versions.env"

say() { echo "base-rootfs: $*" >&2; }
fail() {
  say "$*"
  exit 1
}

(($# == 3)) || fail "usage: base-rootfs.sh FOLDER NODE_VERSION NODE_ARCH"
rootfs="$1"
node_version="$2"
node_arch="$3"
[[ "$rootfs" == /* && -d "$rootfs" && -z "$(ls -A "$rootfs")" ]] || fail "'$rootfs' is not an empty folder given by its absolute path"
((EUID == 0)) || fail "needs root (debootstrap, chroot, mount)"

log_dir="$repo_root/.tools/container/logs"
mkdir -p "$log_dir"
downloads="$(mktemp -d)"

# /proc and /dev of the host, mounted into the root filesystem while programs run in it.
mounted=()
mount_host_filesystems() {
  mount -t proc proc "$rootfs/proc"
  mounted+=("$rootfs/proc")
  # Not --rbind: one plain bind mount comes off with one plain umount.
  mount --bind /dev "$rootfs/dev"
  mounted+=("$rootfs/dev")
}
unmount_host_filesystems() {
  local index target
  for ((index = ${#mounted[@]} - 1; index >= 0; index--)); do
    target="${mounted[index]}"
    # Never anything but a folder inside the root filesystem: /dev itself must stay.
    [[ "$target" == "$rootfs"/* ]] || continue
    umount "$target" || umount --lazy "$target"
  done
  mounted=()
}
cleanup() {
  local status=$?
  unmount_host_filesystems
  rm -rf "$downloads"
  exit "$status"
}
trap cleanup EXIT

# Runs a command with its output in a log, shown only when it fails.
run_logged() {
  local log="$1"
  shift
  if ! "$@" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    fail "failed: $* (full log: $log)"
  fi
}

# First URI of the host's apt sources (deb822 or one-line) whose path ends in /$1.
host_mirror() {
  cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list /etc/apt/sources.list 2>/dev/null |
    grep -oE "https?://[^ ]+/$1/?( |\$)" | head -n 1 | tr -d ' ' | sed 's:/$::' || true
}

mirror="${DEBIAN_MIRROR:-$(host_mirror debian)}"
mirror="${mirror:-http://deb.debian.org/debian}"
security="${DEBIAN_SECURITY_MIRROR:-$(host_mirror debian-security)}"
security="${security:-http://deb.debian.org/debian-security}"

run_logged "$log_dir/debootstrap.log" debootstrap --variant=minbase "$DEBIAN_SUITE" "$rootfs" "$mirror"

# As Debian's slim images are: no documentation but the copyright files, no man pages or
# translations.
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
DPKG
find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
rm -rf "$rootfs"/usr/share/{man,info,locale,lintian}/*
# apt as Debian's container images configure it: no package caches (a Dockerfile's
# `apt-get update && apt-get install` would otherwise leave ~80 MB of *.bin in its layer),
# compressed indexes, no translations, suggestions not kept.
cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT
echo 'Acquire::GzipIndexes "true";' >"$rootfs/etc/apt/apt.conf.d/docker-gzip-indexes"
echo 'Acquire::Languages "none";' >"$rootfs/etc/apt/apt.conf.d/docker-no-languages"
echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$rootfs/etc/apt/apt.conf.d/docker-autoremove-suggests"

rm -f "$rootfs/etc/apt/sources.list"
cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $mirror
Suites: $DEBIAN_SUITE $DEBIAN_SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: $DEBIAN_SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES

# Node and npm from the npm registry, through the host's npm (its registry, proxy and CA
# settings); npm pack checks each tarball against the registry's integrity hash.
run_logged "$log_dir/npm-pack.log" npm pack --silent --pack-destination "$downloads" \
  "node-linux-$node_arch@$node_version" "npm@$NPM_VERSION"
tar -xzf "$downloads/node-linux-$node_arch-$node_version.tgz" -C "$downloads" package/bin/node
install -m 0755 "$downloads/package/bin/node" "$rootfs/usr/local/bin/node"
mkdir -p "$rootfs/usr/local/lib/node_modules/npm"
tar -xzf "$downloads/npm-$NPM_VERSION.tgz" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1 \
  --no-same-owner --no-same-permissions
chmod -R u=rwX,go=rX "$rootfs/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"

# The official image's entrypoint: `docker run IMAGE -e "..."` or `docker run IMAGE app.js`
# runs node. The apps' Dockerfiles replace it (ENTRYPOINT []) so that node is PID 1.
cat >"$rootfs/usr/local/bin/docker-entrypoint.sh" <<'ENTRYPOINT'
#!/bin/sh
set -e
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
ENTRYPOINT
chmod 0755 "$rootfs/usr/local/bin/docker-entrypoint.sh"

# Updates, packages and the user inside the new system, then what must run there runs.
cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
mount_host_filesystems
read -r -a packages <<<"$BASE_PACKAGES"
run_logged "$log_dir/apt-get.log" chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive sh -ec "
  apt-get update
  apt-get -y upgrade
  apt-get install -y --no-install-recommends ${packages[*]}
  apt-get clean
  groupadd --gid 1000 node
  useradd --uid 1000 --gid node --shell /bin/bash --create-home node"
[[ "$(chroot "$rootfs" node --version)" == "v$node_version" ]] ||
  fail "the Node binary in the root filesystem does not run or is not v$node_version"
[[ "$(chroot "$rootfs" npm --version)" == "$NPM_VERSION" ]] ||
  fail "npm $NPM_VERSION does not start on Node $node_version in the root filesystem"
unmount_host_filesystems

# What the steps above left behind: apt lists and logs, npm's compile cache in /tmp. The
# container runtime provides resolv.conf and hostname per container.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/log/apt/* \
  "$rootfs"/var/log/dpkg.log "$rootfs"/var/log/alternatives.log "$rootfs"/var/cache/debconf/*-old \
  "$rootfs"/tmp/* "$rootfs"/root/.npm "$rootfs"/root/.cache
: >"$rootfs/etc/resolv.conf"
: >"$rootfs/etc/hostname"
