#!/usr/bin/env bash
# Installs what the local cluster runs, at the versions pinned in ../versions.env:
#   .tools/cluster/bin/{kube-apiserver,kube-controller-manager,kube-scheduler,kubelet,kube-proxy,kubectl}
#   .tools/cluster/bin/{coredns,metrics-server,azure-wi-webhook,registry}
#   etcd, containerd, runc, the CNI plugins, iptables and conntrack from Debian (apt-get)
# and helm through tools/scripts/helm/install-helm-tools.sh (.tools/bin/helm).
#
# Everything is built from the Go module proxy through the go command or installed from Debian's
# archive: no other download. Idempotent: a binary already built from its pinned version is left
# alone and nothing is printed. The first build compiles Kubernetes and takes 15-40 minutes on two
# cores; later clones of the repo reuse Go's build cache and only link (a few minutes).
#
# Usage: tools/cluster/scripts/install-cluster-tools.sh [--force]
set -euo pipefail
shopt -s inherit_errexit

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cluster_dir="$(cd "$script_dir/.." && pwd)"
repo_root="$(cd "$cluster_dir/../.." && pwd)"
tools_dir="$repo_root/.tools/cluster"
bin_dir="$tools_dir/bin"
build_dir="$tools_dir/build"
log_dir="$tools_dir/logs"

# shellcheck source=../versions.env
source "$cluster_dir/versions.env"
# shellcheck source=../../scripts/lib/go-tools.sh
source "$repo_root/tools/scripts/lib/go-tools.sh"

force=false
[[ "${1:-}" == "--force" ]] && force=true

mkdir -p "$bin_dir" "$build_dir" "$log_dir"
exec 9>"$tools_dir/.install.lock"
flock 9

say() { echo "install-cluster-tools: $*" >&2; }
# The builds yield to whatever else the machine runs (tests, the cluster itself).
renice -n 10 -p $$ >/dev/null

install_debian_packages() {
  local missing=() package
  for package in $DEBIAN_PACKAGES; do
    dpkg-query -W -f '${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  ((${#missing[@]} == 0)) && return 0
  ((EUID == 0)) || { say "installing ${missing[*]} needs root"; return 1; }
  say "installing ${missing[*]} (apt-get)"
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      -o DPkg::Lock::Timeout=300 "${missing[@]}"; } >"$log_dir/apt-get.log" 2>&1; then
    tail -n 30 "$log_dir/apt-get.log" >&2
    say "apt-get could not install ${missing[*]} (log: $log_dir/apt-get.log)"
    return 1
  fi
  # The packages' init scripts may have started containerd with the host's config; the cluster
  # starts its own, with its own state directories.
  pkill -x containerd 2>/dev/null || true
}

# k8s.io/kubernetes replaces its staging modules with ./staging/..., so `go install` refuses it.
# A scratch module takes its go.mod with each staging module pointed at its published version.
install_kubernetes() {
  local commands=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
  if [[ $force == false ]]; then
    local command current=true
    for command in "${commands[@]}"; do
      [[ "$(built_version "$bin_dir/$command" k8s.io/kubernetes)" == "$KUBERNETES_VERSION" ]] || current=false
    done
    [[ $current == true ]] && return 0
  fi
  say "building Kubernetes $KUBERNETES_VERSION (${commands[*]}); the first build takes a while"
  local source staging_version module="$build_dir/kubernetes" started=$SECONDS
  source="$(module_dir k8s.io/kubernetes "$KUBERNETES_VERSION")"
  staging_version="v0.${KUBERNETES_VERSION#v1.}"
  mkdir -p "$module"
  sed -e 's|^module k8s.io/kubernetes$|module mcp-platform.local/cluster/kubernetes|' \
    -e "s|=> ./staging/src/\(k8s.io/[^ ]*\)\$|=> \1 $staging_version|" \
    "$source/go.mod" >"$module/go.mod"
  cp "$source/go.sum" "$module/go.sum"
  chmod u+w "$module/go.mod" "$module/go.sum"
  printf '\nrequire k8s.io/kubernetes %s\n' "$KUBERNETES_VERSION" >>"$module/go.mod"
  run_go_in "$log_dir/kubernetes-mod.log" "$module" mod download k8s.io/kubernetes
  local packages=() ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION \
    -X k8s.io/component-base/version.gitMajor=1 \
    -X k8s.io/component-base/version.gitMinor=$(echo "$KUBERNETES_VERSION" | cut -d. -f2) \
    -X k8s.io/component-base/version.gitTreeState=clean \
    -X k8s.io/client-go/pkg/version.gitVersion=$KUBERNETES_VERSION"
  for command in "${commands[@]}"; do packages+=("k8s.io/kubernetes/cmd/$command"); done
  CGO_ENABLED=0 GOFLAGS="$GOFLAGS -mod=mod" run_go_in "$log_dir/kubernetes.log" "$module" \
    build -trimpath -ldflags "$ldflags" -o "$bin_dir/" "${packages[@]}"
  say "Kubernetes built in $((SECONDS - started)) s"
}

# Builds the main package $3 of module $1@$2 into bin/$4, from a scratch module that requires
# exactly that version: `go install pkg@version` would ask the proxy for the module's version list
# (for deprecations), which the proxy refuses for some modules (azure-workload-identity). $5, if
# given, is a replace directive for the scratch module's go.mod.
install_go_program() {
  local module="$1" version="$2" package="$3" name="$4" replace="${5:-}"
  [[ $force == false && "$(built_version "$bin_dir/$name" "$module")" == "$version" ]] && return 0
  say "building $name ($module $version)"
  local scratch="$build_dir/$name" started=$SECONDS
  rm -rf "$scratch"
  mkdir -p "$scratch"
  printf 'module mcp-platform.local/cluster/%s\n\ngo 1.26\n\nrequire %s %s\n' "$name" "$module" "$version" >"$scratch/go.mod"
  [[ -z "$replace" ]] || printf '\nreplace %s\n' "$replace" >>"$scratch/go.mod"
  CGO_ENABLED=0 GOFLAGS="$GOFLAGS -mod=mod" run_go_in "$log_dir/$name.log" "$scratch" \
    build -trimpath -ldflags "-s -w" -o "$bin_dir/$name" "$package"
  say "$name built in $((SECONDS - started)) s"
}

install_coredns() {
  [[ $force == false && "$(built_version "$bin_dir/coredns" github.com/coredns/coredns)" == "$COREDNS_VERSION" ]] && return 0
  say "building a slim CoreDNS $COREDNS_VERSION"
  local module="$build_dir/coredns" started=$SECONDS
  rm -rf "$module"
  mkdir -p "$module"
  cp "$cluster_dir/src/coredns/main.go" "$module/"
  printf 'module mcp-platform.local/cluster/coredns\n\ngo 1.26\n\nrequire github.com/coredns/coredns %s\n' \
    "$COREDNS_VERSION" >"$module/go.mod"
  run_go_in "$log_dir/coredns-mod.log" "$module" mod tidy
  CGO_ENABLED=0 run_go_in "$log_dir/coredns.log" "$module" \
    build -trimpath -ldflags "-s -w" -o "$bin_dir/coredns" .
  say "coredns built in $((SECONDS - started)) s"
}

# The pod sandbox process, static, for the pause image the cluster serves itself (src/pause).
install_pause() {
  local source="$cluster_dir/src/pause/main.go" module="$build_dir/pause"
  [[ $force == false && -x "$bin_dir/pause" && "$bin_dir/pause" -nt "$source" ]] && return 0
  say "building the pause program"
  mkdir -p "$module"
  cp "$source" "$module/"
  printf 'module mcp-platform.local/cluster/pause\n\ngo 1.26\n' >"$module/go.mod"
  CGO_ENABLED=0 run_go_in "$log_dir/pause.log" "$module" build -trimpath -ldflags "-s -w" -o "$bin_dir/pause" .
}

started=$SECONDS
install_debian_packages
"$repo_root/tools/scripts/helm/install-helm-tools.sh"
install_pause
install_kubernetes
install_coredns
install_go_program sigs.k8s.io/metrics-server "$METRICS_SERVER_VERSION" sigs.k8s.io/metrics-server/cmd/metrics-server metrics-server
install_go_program github.com/Azure/azure-workload-identity "$WORKLOAD_IDENTITY_VERSION" \
  github.com/Azure/azure-workload-identity/cmd/webhook azure-wi-webhook \
  "monis.app/mlog => $cluster_dir/src/mlog"
install_go_program github.com/distribution/distribution/v3 "$DISTRIBUTION_VERSION" \
  github.com/distribution/distribution/v3/cmd/registry registry
