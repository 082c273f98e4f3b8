#!/usr/bin/env bash
# Builds the OCI image of one app from apps/<app>/Dockerfile, with the repository root as the
# build context (the Dockerfile copies dist/apps/<app>/, so build the app first: the Nx
# `container` target does). Uses `docker build` when a Docker daemon answers (`docker info`)
# and `buildah bud` otherwise: same Dockerfile, same image name.
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
#   CONTAINER_ENGINE      docker or buildah: use it without probing.
#   CONTAINER_BUILD_ARGS  extra arguments for `docker build` / `buildah bud`, split on spaces,
#                         e.g. "--isolation chroot --pull=never" for buildah without a registry.
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
if [[ -z "$engine" ]]; then
  if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    engine=docker
  elif command -v buildah >/dev/null 2>&1; then
    engine=buildah
  elif command -v docker >/dev/null 2>&1; then
    fail "docker is installed but no Docker daemon answers (docker info failed), and buildah is not installed: start the Docker daemon, or install buildah (Debian/Ubuntu: apt-get install buildah)"
  else
    fail "neither docker nor buildah is installed: install Docker (with a running daemon) or buildah (Debian/Ubuntu: apt-get install buildah)"
  fi
fi

read -r -a extra_args <<<"${CONTAINER_BUILD_ARGS:-}"

cd "$repo_root"
case "$engine" in
  docker)
    docker build --file "apps/$app/Dockerfile" --tag "$image" "${extra_args[@]}" .
    [[ "$push" == false ]] || docker push "$image"
    ;;
  buildah)
    # Docker format keeps HEALTHCHECK (OCI drops it), so both engines give the same image.
    buildah bud --format docker --layers --file "apps/$app/Dockerfile" --tag "$image" "${extra_args[@]}" .
    [[ "$push" == false ]] || buildah push "$image" "docker://$image"
    ;;
  *) fail "CONTAINER_ENGINE is docker or buildah, not '$engine'" ;;
esac

echo "build-image: $image built with $engine$([[ "$push" == true ]] && echo ' and pushed')" >&2
