#!/usr/bin/env bash
# Builds the OCI image of one app from apps/<app>/Dockerfile, with the repository root as the
# build context (the Dockerfile copies dist/apps/<app>/, so build the app first: the Nx
# `container` target does). Uses `docker build` when a Docker daemon answers (`docker info`)
# and `buildah bud` otherwise: same Dockerfile, same image name. Where neither is installed
# and apt-get is, it installs buildah (install-container-tools.sh). With buildah as root, it
# first makes sure the base image the Dockerfile names is there (base-image.sh: pulled, or
# made locally when no registry has it).
# The host's CA bundle is handed to the build as the secret npm-ca, which the Dockerfile
# mounts for `npm ci` only: a TLS-intercepting proxy in front of the npm registry then works,
# and no certificate ends up in the image.
# Prints the image's size, and writes what it built to dist/images/<app>.json (image, id,
# engine, size, seconds): the image tests run that image.
#
# Usage: tools/scripts/container/build-image.sh <app> [--registry REGISTRY] [--tag TAG] [--push]
#   --registry  where the image goes: <registry>/<app>:<tag>. Default: $CONTAINER_REGISTRY,
#               else localhost/mcp-platform.
#   --tag       image tag. Default: $IMAGE_TAG, else the short commit (git rev-parse --short HEAD).
#   --push      push the image after building it (docker push / buildah push). Default:
#               $CONTAINER_PUSH (true/false), else false. Log in to the registry first.
# Options also take the --name=value form, which is how `nx run <app>:container --tag=x` and
# `nx affected -t container --tag=x` hand them over.
#
# Environment:
#   CONTAINER_ENGINE        docker or buildah: use it without probing.
#   CONTAINER_BUILD_ARGS    extra arguments for `docker build` / `buildah bud`, split on spaces.
#   CONTAINER_INSTALL_TOOLS false: never install buildah, fail instead.
#   BUILD_CA_BUNDLE         the CA bundle for the npm-ca secret. Default: the system bundle
#                           (/etc/ssl/certs/ca-certificates.crt, /etc/pki/tls/certs/ca-bundle.crt
#                           or /etc/ssl/cert.pem); none: no secret.
#   BUILDAH_ISOLATION       buildah's RUN isolation. Default: chroot.
#   BASE_IMAGE_ENSURE       false: leave the base image to buildah's pull.
#   CONTAINER_PUSH_TLS_VERIFY false: buildah pushes over plain HTTP (a registry on loopback, such
#                           as the local cluster's).
set -euo pipefail

usage() {
  echo "usage: build-image.sh <app> [--registry REGISTRY] [--tag TAG] [--push]" >&2
}

fail() {
  echo "build-image: $*" >&2
  exit 1
}

script_path="${BASH_SOURCE[0]}"
[[ "$script_path" == */* ]] || script_path="./$script_path"
script_dir="$(cd "${script_path%/*}" && pwd)"
repo_root="$(cd "$script_dir/../../.." && pwd)"

app=""
registry="${CONTAINER_REGISTRY:-localhost/mcp-platform}"
tag="${IMAGE_TAG:-}"
push="${CONTAINER_PUSH:-false}"

while (($# > 0)); do
  case "$1" in
    --registry=*) registry="${1#*=}" ;;
    --tag=*) tag="${1#*=}" ;;
    --push) push=true ;;
    --push=*) push="${1#*=}" ;;
    --registry)
      (($# >= 2)) || fail "--registry needs a value"
      registry="$2"
      shift
      ;;
    --tag)
      (($# >= 2)) || fail "--tag needs a value"
      tag="$2"
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    -*)
      usage
      fail "unknown option $1"
      ;;
    *)
      [[ -z "$app" ]] || fail "one app at a time (got '$app' and '$1')"
      app="$1"
      ;;
  esac
  shift
done

[[ -n "$app" ]] || {
  usage
  exit 1
}
[[ "$push" == true || "$push" == false ]] || fail "--push is true or false, not '$push'"
[[ -f "$repo_root/apps/$app/Dockerfile" ]] || fail "no Dockerfile at apps/$app/Dockerfile"
[[ -f "$repo_root/dist/apps/$app/main.js" ]] ||
  fail "dist/apps/$app/main.js is missing: build the app first (npx nx run $app:build), or run npx nx run $app:container"

registry="${registry%/}"
# Image references must be lower case: GitHub owners and repositories often are not.
[[ "$registry" =~ ^[a-z0-9]([a-z0-9._:/-]*[a-z0-9])?$ ]] ||
  fail "registry '$registry' is not a valid image repository prefix (lower case letters, digits, '.', '_', '-', ':' and '/')"

if [[ -z "$tag" ]]; then
  command -v git >/dev/null 2>&1 || fail "no --tag or IMAGE_TAG given, and git is not installed to take the commit"
  tag="$(git -C "$repo_root" rev-parse --short HEAD 2>/dev/null)" ||
    fail "no --tag or IMAGE_TAG given, and $repo_root is not a git checkout to take the commit from"
fi
[[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || fail "'$tag' is not a valid image tag"

image="$registry/$app:$tag"

engine="${CONTAINER_ENGINE:-}"
installer="$script_dir/install-container-tools.sh"
if [[ -z "$engine" ]]; then
  if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    engine=docker
  elif command -v buildah >/dev/null 2>&1; then
    engine=buildah
  elif [[ "${CONTAINER_INSTALL_TOOLS:-true}" == true && -f "$installer" ]] && command -v apt-get >/dev/null 2>&1; then
    # A fresh Debian or Ubuntu machine or CI container: get buildah rather than stop.
    "$BASH" "$installer" buildah
    engine=buildah
  elif command -v docker >/dev/null 2>&1; then
    fail "docker is installed but no Docker daemon answers (docker info failed), and buildah is not installed: start the Docker daemon, or install buildah (tools/scripts/container/install-container-tools.sh on Debian/Ubuntu, as root)"
  else
    fail "neither docker nor buildah is installed: install Docker (with a running daemon) or buildah (tools/scripts/container/install-container-tools.sh on Debian/Ubuntu, as root)"
  fi
fi

# npm ci in the Dockerfile trusts the host's CAs too (a TLS-intercepting proxy in front of the
# registry), through the build secret npm-ca: mounted for that one step, never in a layer.
ca_bundle="${BUILD_CA_BUNDLE:-}"
if [[ -z "$ca_bundle" ]]; then
  for candidate in /etc/ssl/certs/ca-certificates.crt /etc/pki/tls/certs/ca-bundle.crt /etc/ssl/cert.pem; do
    if [[ -f "$candidate" ]]; then
      ca_bundle="$candidate"
      break
    fi
  done
fi
secret_args=()
if [[ -n "$ca_bundle" && "$ca_bundle" != none ]]; then
  [[ -f "$ca_bundle" ]] || fail "BUILD_CA_BUNDLE=$ca_bundle is not a file (give a PEM bundle, or 'none')"
  secret_args=(--secret "id=npm-ca,src=$ca_bundle")
fi

read -r -a extra_args <<<"${CONTAINER_BUILD_ARGS:-}"
record_dir="$repo_root/dist/images"
mkdir -p "$record_dir"
iid_file="$record_dir/$app.iid"
rm -f "$iid_file"
trap 'rm -f "$iid_file"' EXIT
started=$SECONDS

cd "$repo_root"
case "$engine" in
  docker)
    previous="$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)"
    docker build --file "apps/$app/Dockerfile" --tag "$image" --iidfile "$iid_file" "${secret_args[@]}" "${extra_args[@]}" .
    size="$(docker image ls --format '{{.Size}}' "$image")"
    # The image this one replaces under the same tag, unless other tags or containers use it.
    [[ -z "$previous" || "$previous" == "$(<"$iid_file")" ]] || docker image rm "$previous" >/dev/null 2>&1 || true
    [[ "$push" == false ]] || docker push "$image"
    ;;
  buildah)
    # The base the Dockerfile names, made here when no registry has it (needs root; without
    # root, buildah pulls it).
    node_image=""
    while IFS= read -r line; do
      if [[ "$line" =~ ^ARG\ NODE_IMAGE=([^[:space:]]+) ]]; then
        node_image="${BASH_REMATCH[1]}"
        break
      fi
    done <"apps/$app/Dockerfile"
    if [[ -n "$node_image" && $EUID -eq 0 && "${BASE_IMAGE_ENSURE:-true}" == true ]]; then
      "$BASH" "$script_dir/base-image.sh" "$node_image"
    fi
    # Docker format keeps HEALTHCHECK (OCI drops it), so both engines give the same image.
    # --pull=false pulls only what is missing, as docker build does; chroot isolation needs
    # neither runc nor namespaces, so it works in unprivileged CI containers too.
    previous="$(buildah images --no-trunc --format '{{.ID}}' "$image" 2>/dev/null || true)"
    buildah bud --format docker --layers --force-rm --pull=false --isolation "${BUILDAH_ISOLATION:-chroot}" \
      --file "apps/$app/Dockerfile" --tag "$image" --iidfile "$iid_file" "${secret_args[@]}" "${extra_args[@]}" .
    size="$(buildah images --format '{{.Size}}' "$image")"
    [[ -z "$previous" || "$previous" == "$(<"$iid_file")" ]] || buildah rmi "$previous" >/dev/null 2>&1 || true
    push_flags=()
    [[ "${CONTAINER_PUSH_TLS_VERIFY:-true}" == true ]] || push_flags=(--tls-verify=false)
    [[ "$push" == false ]] || buildah push "${push_flags[@]}" "$image" "docker://$image"
    ;;
  *) fail "CONTAINER_ENGINE is docker or buildah, not '$engine'" ;;
esac

# What was built, for the image tests and whoever runs it next (dist/images/<app>.json).
size="${size%%$'\n'*}"
printf '{"app":"%s","image":"%s","id":"%s","engine":"%s","size":"%s","seconds":%d}\n' \
  "$app" "$image" "$(<"$iid_file")" "$engine" "$size" "$((SECONDS - started))" >"$record_dir/$app.json"
echo "build-image: $image built with $engine in $((SECONDS - started)) s, $size$([[ "$push" == true ]] && echo ', pushed')" >&2
