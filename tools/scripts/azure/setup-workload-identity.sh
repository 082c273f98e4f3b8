#!/usr/bin/env bash
# The deployment guide's Azure Steps 1-4 in one idempotent run: the user-assigned managed
# identity (UAMI), its Reader role on the subscription, the Kubernetes namespace, and one
# federated credential per service account (mcp-server, mcp-client) trusting the cluster's
# OIDC issuer. What exists is left alone, so a second run changes nothing; a federated
# credential whose issuer, subject or audience no longer matches (a rebuilt cluster, another
# namespace) is updated. It ends by printing the tenant and client IDs for the values files.
#
# Usage: tools/scripts/azure/setup-workload-identity.sh --resource-group RG --cluster-name AKS
#          [--identity-name mcp-system-uami] [--namespace mcp-system] [--dry-run]
#   --dry-run  print every az and kubectl command a first run would execute, with the values
#              that would come from Azure as shell variables ($UAMI_PRINCIPAL_ID), and run
#              none of them, not even the read-only queries.
#
# Needs az (logged in; pick the subscription with `az account set`) and kubectl whose current
# context is the cluster. The identity is created in the resource group given. Progress goes
# to stderr; the dry-run commands and the closing summary go to stdout.

# The dry-run placeholders ('$UAMI_PRINCIPAL_ID') are literal shell variables on purpose.
# shellcheck disable=SC2016
set -euo pipefail

readonly audience="api://AzureADTokenExchange"
readonly role="Reader"
readonly service_accounts=(mcp-server mcp-client)

resource_group=""
cluster_name=""
identity_name="mcp-system-uami"
namespace="mcp-system"
dry_run=false

usage() {
  echo "usage: setup-workload-identity.sh --resource-group RG --cluster-name AKS [--identity-name mcp-system-uami] [--namespace mcp-system] [--dry-run]" >&2
}

fail() {
  echo "setup-workload-identity: $*" >&2
  exit 1
}

say() {
  echo "setup-workload-identity: $*" >&2
}

set_option() {
  [[ -n "$2" ]] || fail "$1 needs a value"
  case "$1" in
    --resource-group) resource_group="$2" ;;
    --cluster-name) cluster_name="$2" ;;
    --identity-name) identity_name="$2" ;;
    --namespace) namespace="$2" ;;
  esac
}

while (($# > 0)); do
  case "$1" in
    --resource-group | --cluster-name | --identity-name | --namespace)
      if (($# < 2)) || [[ "$2" == --* ]]; then fail "$1 needs a value"; fi
      set_option "$1" "$2"
      shift
      ;;
    --resource-group=* | --cluster-name=* | --identity-name=* | --namespace=*)
      set_option "${1%%=*}" "${1#*=}"
      ;;
    --dry-run) dry_run=true ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      usage
      fail "unknown argument $1"
      ;;
  esac
  shift
done

[[ -n "$resource_group" ]] || fail "--resource-group is required"
[[ -n "$cluster_name" ]] || fail "--cluster-name is required"
# The federated credential subject names the service account's namespace: a DNS label.
[[ "$namespace" =~ ^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$ ]] ||
  fail "--namespace '$namespace' is not a valid Kubernetes namespace name"

if [[ "$dry_run" == false ]]; then
  command -v az >/dev/null 2>&1 ||
    fail "the Azure CLI (az) is not installed: see https://learn.microsoft.com/cli/azure/install-azure-cli"
  command -v kubectl >/dev/null 2>&1 ||
    fail "kubectl is not installed: run az aks install-cli, or see https://kubernetes.io/docs/tasks/tools/"
fi

# Prints a command as one shell line. Values a dry run cannot know appear as shell variables
# ($UAMI_PRINCIPAL_ID), as in the guide, so the lines can be pasted once those are set.
show_command() {
  local line="" arg safe='^[-A-Za-z0-9_./:=@,+%$]+$'
  for arg in "$@"; do
    if [[ "$arg" =~ $safe ]]; then
      line+=" $arg"
    else
      line+=" '${arg//\'/\'\\\'\'}'"
    fi
  done
  echo "${line# }"
}

# query VAR PLACEHOLDER COMMAND...: a read-only command whose output (az -o tsv) goes into
# VAR. A dry run prints the command and puts PLACEHOLDER into VAR.
query() {
  local var="$1" placeholder="$2" output
  shift 2
  if [[ "$dry_run" == true ]]; then
    show_command "$@"
    printf -v "$var" '%s' "$placeholder"
    return 0
  fi
  output="$("$@")" || return 1
  printf -v "$var" '%s' "${output//$'\r'/}"
}

# lookup VAR COMMAND...: an existence check; fails when the object is missing (az and kubectl
# exit non-zero for "not found"), else puts its output into VAR. A dry run prints the command
# and answers "missing", so that it goes on to print what a first run creates.
lookup() {
  local var="$1" output
  shift
  if [[ "$dry_run" == true ]]; then
    show_command "$@"
    return 1
  fi
  output="$("$@" 2>/dev/null)" || return 1
  printf -v "$var" '%s' "${output//$'\r'/}"
}

# mutate VAR PLACEHOLDER COMMAND...: a command that changes something, its output into VAR.
# A dry run only prints it.
mutate() {
  local var="$1" placeholder="$2" output
  shift 2
  if [[ "$dry_run" == true ]]; then
    show_command "$@"
    printf -v "$var" '%s' "$placeholder"
    return 0
  fi
  output="$("$@")" || fail "failed: $(show_command "$@")"
  printf -v "$var" '%s' "${output//$'\r'/}"
}

# Filled by query, lookup and mutate.
subscription_id="" tenant_id="" cluster="" identity="" assignments="" current=""

[[ "$dry_run" == false ]] || echo "# Dry run: nothing is executed. A first run executes these commands:"

# --- The Azure context and the cluster's OIDC issuer (guide: Prerequisites, Step 4) -------
query subscription_id '$SUBSCRIPTION_ID' az account show --query id -o tsv ||
  fail "az account show failed: log in with az login, and pick the subscription with az account set"
query tenant_id '$TENANT_ID' az account show --query tenantId -o tsv ||
  fail "az account show failed: log in with az login"

query cluster '$AKS_OIDC_ISSUER'$'\t''true' \
  az aks show --resource-group "$resource_group" --name "$cluster_name" \
  --query '[oidcIssuerProfile.issuerUrl,securityProfile.workloadIdentity.enabled]' -o tsv ||
  fail "cannot read cluster $cluster_name in resource group $resource_group (az aks show failed)"
IFS=$'\t' read -r oidc_issuer workload_identity <<<"$cluster" || true
if [[ -z "$oidc_issuer" || "$oidc_issuer" == None || "${workload_identity,,}" != true ]]; then
  fail "cluster $cluster_name has no OIDC issuer or workload identity: az aks update --resource-group $resource_group --name $cluster_name --enable-oidc-issuer --enable-workload-identity"
fi

# --- Step 1: the user-assigned managed identity -------------------------------------------
if lookup identity az identity show --resource-group "$resource_group" --name "$identity_name" \
  --query '[clientId,principalId]' -o tsv; then
  say "identity $identity_name exists"
else
  say "creating identity $identity_name in $resource_group"
  mutate identity '$UAMI_CLIENT_ID'$'\t''$UAMI_PRINCIPAL_ID' \
    az identity create --resource-group "$resource_group" --name "$identity_name" \
    --query '[clientId,principalId]' -o tsv
fi
IFS=$'\t' read -r client_id principal_id <<<"$identity" || true
[[ -n "$client_id" && -n "$principal_id" ]] || fail "could not read the clientId and principalId of identity $identity_name"

# --- Step 2: Reader on the subscription -----------------------------------------------------
scope="/subscriptions/$subscription_id"
if lookup assignments az role assignment list --assignee "$principal_id" --role "$role" --scope "$scope" \
  --query 'length(@)' -o tsv && [[ "$assignments" != 0 ]]; then
  say "identity $identity_name has $role on $scope"
else
  say "assigning $role on $scope to identity $identity_name"
  # The object ID and principal type spare az a Microsoft Graph lookup, which fails for a few
  # minutes after the identity is created while the new principal replicates.
  mutate discard "" az role assignment create --role "$role" --assignee-object-id "$principal_id" \
    --assignee-principal-type ServicePrincipal --scope "$scope"
fi

# --- Step 3: the namespace -----------------------------------------------------------------
if lookup discard kubectl get namespace "$namespace" -o name; then
  say "namespace $namespace exists"
else
  say "creating namespace $namespace"
  mutate discard "" kubectl create namespace "$namespace"
fi

# --- Step 4: one federated credential per service account ----------------------------------
for service_account in "${service_accounts[@]}"; do
  credential="$service_account-credential"
  subject="system:serviceaccount:$namespace:$service_account"
  if lookup current az identity federated-identity-credential show --resource-group "$resource_group" \
    --identity-name "$identity_name" --name "$credential" --query '[issuer,subject,audiences[0]]' -o tsv; then
    if [[ "$current" == "$oidc_issuer"$'\t'"$subject"$'\t'"$audience" ]]; then
      say "federated credential $credential exists"
      continue
    fi
    say "updating federated credential $credential (it named ${current//$'\t'/ | })"
    action=update
  else
    say "creating federated credential $credential for $subject"
    action=create
  fi
  mutate discard "" az identity federated-identity-credential "$action" --resource-group "$resource_group" \
    --identity-name "$identity_name" --name "$credential" --issuer "$oidc_issuer" \
    --subject "$subject" --audience "$audience"
done

echo
if [[ "$dry_run" == true ]]; then
  echo "# Then put the IDs into charts/environments/<environment>/mcp-server-values.yaml and mcp-client-values.yaml:"
else
  echo "# Workload identity is set up: identity $identity_name, namespace $namespace, federated"
  echo "# credentials for ${service_accounts[*]}. Put these IDs into"
  echo "# charts/environments/<environment>/mcp-server-values.yaml and mcp-client-values.yaml:"
fi
echo "azure:"
echo "  tenantId: \"$tenant_id\""
echo "  clientId: \"$client_id\""
