#!/usr/bin/env bash
# Installs the chart tooling pinned in versions.env into <repo>/.tools:
#   .tools/bin/helm                       helm, with the version and Kubernetes version
#                                         ldflags of Helm's own Makefile
#   .tools/bin/kubectl-validate           offline strict manifest validator
#   .tools/share/kubernetes-schemas/<v>/  OpenAPI v3 per group-version (api/v1.json,
#                                         apis/<group>/<version>.json) for --local-schemas
#   .tools/share/crds/<v>/                CRDs for --local-crds (ServiceMonitor)
#   .tools/helm-tools.json                where all of the above is, for the chart tests
#
# Everything comes from the Go module proxy through the go command (go install, go mod
# download): no other download. Idempotent: a tool already at its pinned version is left
# alone and nothing is printed. Module and build caches are Go's defaults (shared by clones
# of the repo on one machine); set GOMODCACHE/GOCACHE to move them.
#
# Usage: tools/scripts/helm/install-helm-tools.sh [--force]
set -euo pipefail
# A failing go command inside $(...) must stop the script too.
shopt -s inherit_errexit

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/../../.." && pwd)"
tools_dir="$repo_root/.tools"
bin_dir="$tools_dir/bin"
share_dir="$tools_dir/share"
log_dir="$tools_dir/logs"

# shellcheck source=versions.env
source "$script_dir/versions.env"

force=false
[[ "${1:-}" == "--force" ]] && force=true

# shellcheck source=../lib/go-tools.sh
source "$script_dir/../lib/go-tools.sh"

mkdir -p "$bin_dir" "$share_dir" "$log_dir"

# Jest's globalSetup and the Nx lint target may run this at the same time.
exec 9>"$tools_dir/.install.lock"
flock 9

export GOBIN="$bin_dir"

did_work=false
say() { echo "install-helm-tools: $*" >&2; }
# Announces a step that does work, so the closing summary is printed.
step() {
  did_work=true
  say "$@"
}

# Runs a go command in .tools with its chatter in a log, shown only when it fails.
run_go() {
  local log="$1"
  shift
  run_go_in "$log" "$tools_dir" "$@"
}

install_helm() {
  [[ $force == false && "$(built_version "$bin_dir/helm" helm.sh/helm/v3)" == "$HELM_VERSION" ]] && return 0
  step "building helm $HELM_VERSION"
  # Helm's Makefile stamps the version and, from the client-go it was built with, the
  # Kubernetes version that `helm template`/`helm lint` assume; a plain go install leaves
  # v3.x and Kubernetes 1.20.
  local gomod client_go k8s_minor
  gomod="$(module_dir helm.sh/helm/v3 "$HELM_VERSION")/go.mod"
  client_go="$(awk '$1 == "k8s.io/client-go" { print $2; exit }' "$gomod")"
  k8s_minor="$(echo "$client_go" | cut -d. -f2)"
  run_go "$log_dir/helm.log" install -trimpath -ldflags "-s -w \
    -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION \
    -X helm.sh/helm/v3/internal/version.gitTreeState=clean \
    -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 \
    -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$k8s_minor \
    -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 \
    -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$k8s_minor" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
}

install_kubectl_validate() {
  [[ $force == false && "$(built_version "$bin_dir/kubectl-validate" sigs.k8s.io/kubectl-validate)" == "$KUBECTL_VALIDATE_VERSION" ]] && return 0
  step "building kubectl-validate $KUBECTL_VALIDATE_VERSION"
  run_go "$log_dir/kubectl-validate.log" install -trimpath -ldflags "-s -w" \
    "sigs.k8s.io/kubectl-validate@$KUBECTL_VALIDATE_VERSION"
}

# api__v1_openapi.json -> api/v1.json; apis__apps__v1_openapi.json -> apis/apps/v1.json
install_kubernetes_schemas() {
  local dest="$share_dir/kubernetes-schemas/$KUBERNETES_SCHEMA_VERSION"
  [[ $force == false && -f "$dest/.complete" ]] && return 0
  step "extracting Kubernetes $KUBERNETES_SCHEMA_VERSION OpenAPI schemas"
  local src file name rel tmp
  src="$(module_dir k8s.io/kubernetes "$KUBERNETES_SCHEMA_VERSION")/api/openapi-spec/v3"
  tmp="$dest.tmp"
  rm -rf "$tmp" "$dest"
  for file in "$src"/api__v1_openapi.json "$src"/apis__*__*_openapi.json; do
    name="$(basename "$file" _openapi.json)"
    rel="${name//__//}"
    mkdir -p "$tmp/$(dirname "$rel")"
    cp "$file" "$tmp/$rel.json"
  done
  touch "$tmp/.complete"
  mv "$tmp" "$dest"
}

install_crds() {
  local dest="$share_dir/crds/prometheus-operator-$PROMETHEUS_OPERATOR_VERSION"
  local crd=monitoring.coreos.com_servicemonitors.yaml
  [[ $force == false && -f "$dest/$crd" ]] && return 0
  step "copying the ServiceMonitor CRD from prometheus-operator $PROMETHEUS_OPERATOR_VERSION"
  local src
  src="$(module_dir github.com/prometheus-operator/prometheus-operator "$PROMETHEUS_OPERATOR_VERSION")"
  mkdir -p "$dest"
  cp "$src/example/prometheus-operator-crd/$crd" "$dest/$crd.tmp"
  mv "$dest/$crd.tmp" "$dest/$crd"
}

write_manifest() {
  local manifest="$tools_dir/helm-tools.json"
  cat >"$manifest.tmp" <<EOF
{
  "helm": "$bin_dir/helm",
  "helmVersion": "$HELM_VERSION",
  "kubectlValidate": "$bin_dir/kubectl-validate",
  "kubectlValidateVersion": "$KUBECTL_VALIDATE_VERSION",
  "kubernetesSchemas": "$share_dir/kubernetes-schemas/$KUBERNETES_SCHEMA_VERSION",
  "kubernetesSchemaVersion": "$KUBERNETES_SCHEMA_VERSION",
  "kubernetesMinVersion": "$KUBERNETES_MIN_VERSION",
  "crds": "$share_dir/crds/prometheus-operator-$PROMETHEUS_OPERATOR_VERSION"
}
EOF
  mv "$manifest.tmp" "$manifest"
}

started=$SECONDS
install_helm
install_kubectl_validate
install_kubernetes_schemas
install_crds
write_manifest
if [[ $did_work == true ]]; then
  say "done in $((SECONDS - started)) s ($bin_dir)"
fi
