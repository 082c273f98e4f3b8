import { join } from 'node:path';
import { FakeCommands } from '../test-support/fake-commands';
import { repoRoot } from '../test-support/repo';
import { runScript } from '../test-support/run-script';

const script = join(repoRoot, 'tools/scripts/azure/setup-workload-identity.sh');

const subscriptionId = '2f9c6a51-7d3e-4b8a-9c21-5e4f3a2b1c0d';
const tenantId = '8b1d4e6f-3c2a-4f5b-9e7d-1a2b3c4d5e6f';
const clientId = '4a7e2c19-6b3d-4f81-a5c2-9d8e7f6a5b4c';
const principalId = 'c3d2e1f0-a9b8-4c7d-8e6f-5a4b3c2d1e0f';
const issuer = 'https://uksouth.oic.prod-aks.azure.com/8b1d4e6f-3c2a-4f5b-9e7d-1a2b3c4d5e6f/5d6e7f80-91a2-4b3c-8d4e-5f6a7b8c9d0e/';

// A stateful fake az: what "create" makes, "show" and "list" find on the next call or run.
// $FAKE_AKS overrides the cluster's answer, $FAKE_LOGGED_OUT makes az account show fail.
const fakeAz = String.raw`
option() {
  local wanted="$1"; shift
  while (($# > 1)); do [[ "$1" == "$wanted" ]] && { printf '%s' "$2"; return; }; shift; done
}
not_found() { echo "ERROR: (ResourceNotFound) $*" >&2; exit 3; }
case "$1 $2" in
  "account show")
    [[ -z "${'${FAKE_LOGGED_OUT:-}'}" ]] || { echo "ERROR: Please run 'az login' to setup account." >&2; exit 1; }
    case "$(option --query "$@")" in
      id) echo ${subscriptionId} ;;
      tenantId) echo ${tenantId} ;;
    esac ;;
  "aks show") printf '%s\n' "${'${FAKE_AKS:-'}${issuer}${'\t'}true}" ;;
  "identity show")
    [[ -f "$FAKE_STATE/identity" ]] || not_found identity
    printf '${clientId}\t${principalId}\n' ;;
  "identity create")
    : > "$FAKE_STATE/identity"
    printf '${clientId}\t${principalId}\n' ;;
  "role assignment")
    case "$3" in
      list) if [[ -f "$FAKE_STATE/role" ]]; then echo 1; else echo 0; fi ;;
      create) : > "$FAKE_STATE/role" ;;
    esac ;;
  "identity federated-identity-credential")
    credential="$FAKE_STATE/credential-$(option --name "$@")"
    case "$3" in
      show) [[ -f "$credential" ]] || not_found credential; printf '%s\n' "$(< "$credential")" ;;
      create | update)
        printf '%s\t%s\t%s' "$(option --issuer "$@")" "$(option --subject "$@")" "$(option --audience "$@")" > "$credential" ;;
    esac ;;
  *) echo "fake az: unexpected call: $*" >&2; exit 2 ;;
esac
`;

const fakeKubectl = String.raw`
case "$1 $2" in
  "get namespace")
    [[ -f "$FAKE_STATE/namespace-$3" ]] || { echo "Error from server (NotFound): namespaces \"$3\" not found" >&2; exit 1; }
    echo "namespace/$3" ;;
  "create namespace") : > "$FAKE_STATE/namespace-$3"; echo "namespace/$3 created" ;;
  *) echo "fake kubectl: unexpected call: $*" >&2; exit 2 ;;
esac
`;

const base = ['--resource-group', 'rg-mcp', '--cluster-name', 'aks-mcp'];

const queries = [
  'az account show --query id -o tsv',
  'az account show --query tenantId -o tsv',
  'az aks show --resource-group rg-mcp --name aks-mcp --query [oidcIssuerProfile.issuerUrl,securityProfile.workloadIdentity.enabled] -o tsv',
];
const identityShow = 'az identity show --resource-group rg-mcp --name mcp-system-uami --query [clientId,principalId] -o tsv';
const roleList = `az role assignment list --assignee ${principalId} --role Reader --scope /subscriptions/${subscriptionId} --query length(@) -o tsv`;
const credentialShow = (account: string) =>
  `az identity federated-identity-credential show --resource-group rg-mcp --identity-name mcp-system-uami --name ${account}-credential --query [issuer,subject,audiences[0]] -o tsv`;
const credentialWrite = (action: 'create' | 'update', account: string, namespace = 'mcp-system') =>
  `az identity federated-identity-credential ${action} --resource-group rg-mcp --identity-name mcp-system-uami --name ${account}-credential` +
  ` --issuer ${issuer} --subject system:serviceaccount:${namespace}:${account} --audience api://AzureADTokenExchange`;

describe('setup-workload-identity.sh', () => {
  let fakes: FakeCommands;

  beforeEach(() => {
    fakes = new FakeCommands().add('az', fakeAz).add('kubectl', fakeKubectl);
  });

  afterEach(() => fakes.remove());

  function setup(args: string[], env: Record<string, string> = {}) {
    return runScript(script, args, { PATH: fakes.bin, ...env });
  }

  it('creates the identity, role assignment, namespace and both federated credentials on a first run', () => {
    const result = setup(base);

    expect(result.stderr).toBe(
      [
        'creating identity mcp-system-uami in rg-mcp',
        `assigning Reader on /subscriptions/${subscriptionId} to identity mcp-system-uami`,
        'creating namespace mcp-system',
        'creating federated credential mcp-server-credential for system:serviceaccount:mcp-system:mcp-server',
        'creating federated credential mcp-client-credential for system:serviceaccount:mcp-system:mcp-client',
      ]
        .map((line) => `setup-workload-identity: ${line}\n`)
        .join(''),
    );
    expect(result.status).toBe(0);
    expect(fakes.calls()).toEqual([
      ...queries,
      identityShow,
      'az identity create --resource-group rg-mcp --name mcp-system-uami --query [clientId,principalId] -o tsv',
      roleList,
      `az role assignment create --role Reader --assignee-object-id ${principalId} --assignee-principal-type ServicePrincipal --scope /subscriptions/${subscriptionId}`,
      'kubectl get namespace mcp-system -o name',
      'kubectl create namespace mcp-system',
      credentialShow('mcp-server'),
      credentialWrite('create', 'mcp-server'),
      credentialShow('mcp-client'),
      credentialWrite('create', 'mcp-client'),
    ]);
    expect(result.stdout).toContain(`azure:\n  tenantId: "${tenantId}"\n  clientId: "${clientId}"\n`);
  });

  it('creates nothing on a second run, and prints the same IDs', () => {
    setup(base);
    fakes.clearCalls();

    const result = setup(base);

    expect(result.status).toBe(0);
    expect(fakes.calls()).toEqual([
      ...queries,
      identityShow,
      roleList,
      'kubectl get namespace mcp-system -o name',
      credentialShow('mcp-server'),
      credentialShow('mcp-client'),
    ]);
    expect(result.stdout).toContain(`azure:\n  tenantId: "${tenantId}"\n  clientId: "${clientId}"\n`);
  });

  it('makes only what is missing, and updates a credential that trusts another issuer', () => {
    fakes.markExisting('identity');
    fakes.markExisting('namespace-mcp-system');
    fakes.markExisting(
      'credential-mcp-server-credential',
      'https://westeurope.oic.prod-aks.azure.com/old-cluster/\tsystem:serviceaccount:mcp-system:mcp-server\tapi://AzureADTokenExchange',
    );

    const result = setup(base);

    expect(result.status).toBe(0);
    expect(fakes.calls().filter((call) => / (create|update) /.test(call))).toEqual([
      `az role assignment create --role Reader --assignee-object-id ${principalId} --assignee-principal-type ServicePrincipal --scope /subscriptions/${subscriptionId}`,
      credentialWrite('update', 'mcp-server'),
      credentialWrite('create', 'mcp-client'),
    ]);
    expect(result.stderr).toContain('updating federated credential mcp-server-credential');
  });

  it('uses --namespace in the subjects and --identity-name for the identity', () => {
    const result = setup([...base, '--namespace', 'tools', '--identity-name=tools-uami']);

    expect(result.status).toBe(0);
    expect(fakes.calls()).toEqual(
      expect.arrayContaining([
        'az identity create --resource-group rg-mcp --name tools-uami --query [clientId,principalId] -o tsv',
        'kubectl create namespace tools',
        expect.stringContaining('--identity-name tools-uami --name mcp-client-credential'),
        expect.stringContaining('--subject system:serviceaccount:tools:mcp-server --audience api://AzureADTokenExchange'),
        expect.stringContaining('--subject system:serviceaccount:tools:mcp-client --audience api://AzureADTokenExchange'),
      ]),
    );
  });

  describe('--dry-run', () => {
    it('runs no command at all and prints every command of a first run', () => {
      const result = setup([...base, '--dry-run']);

      expect(result.status).toBe(0);
      expect(fakes.calls()).toEqual([]);
      const printed = result.stdout.split('\n').filter((line) => /^(az|kubectl) /.test(line));
      expect(printed).toEqual([
        'az account show --query id -o tsv',
        'az account show --query tenantId -o tsv',
        "az aks show --resource-group rg-mcp --name aks-mcp --query '[oidcIssuerProfile.issuerUrl,securityProfile.workloadIdentity.enabled]' -o tsv",
        "az identity show --resource-group rg-mcp --name mcp-system-uami --query '[clientId,principalId]' -o tsv",
        "az identity create --resource-group rg-mcp --name mcp-system-uami --query '[clientId,principalId]' -o tsv",
        "az role assignment list --assignee $UAMI_PRINCIPAL_ID --role Reader --scope /subscriptions/$SUBSCRIPTION_ID --query 'length(@)' -o tsv",
        'az role assignment create --role Reader --assignee-object-id $UAMI_PRINCIPAL_ID --assignee-principal-type ServicePrincipal --scope /subscriptions/$SUBSCRIPTION_ID',
        'kubectl get namespace mcp-system -o name',
        'kubectl create namespace mcp-system',
        "az identity federated-identity-credential show --resource-group rg-mcp --identity-name mcp-system-uami --name mcp-server-credential --query '[issuer,subject,audiences[0]]' -o tsv",
        'az identity federated-identity-credential create --resource-group rg-mcp --identity-name mcp-system-uami --name mcp-server-credential --issuer $AKS_OIDC_ISSUER --subject system:serviceaccount:mcp-system:mcp-server --audience api://AzureADTokenExchange',
        "az identity federated-identity-credential show --resource-group rg-mcp --identity-name mcp-system-uami --name mcp-client-credential --query '[issuer,subject,audiences[0]]' -o tsv",
        'az identity federated-identity-credential create --resource-group rg-mcp --identity-name mcp-system-uami --name mcp-client-credential --issuer $AKS_OIDC_ISSUER --subject system:serviceaccount:mcp-system:mcp-client --audience api://AzureADTokenExchange',
      ]);
      expect(result.stdout).toContain('azure:\n  tenantId: "$TENANT_ID"\n  clientId: "$UAMI_CLIENT_ID"\n');
    });

    it('needs neither az nor kubectl', () => {
      const result = runScript(script, [...base, '--dry-run'], { PATH: '/nonexistent' });

      expect(result.status).toBe(0);
      expect(result.stdout).toContain('kubectl create namespace mcp-system');
    });
  });

  describe('fails clearly', () => {
    it('without the required flags', () => {
      expect(setup(['--cluster-name', 'aks-mcp']).stderr).toContain('--resource-group is required');
      expect(setup(['--resource-group', 'rg-mcp']).stderr).toContain('--cluster-name is required');
      expect(setup([...base, '--namespace']).stderr).toContain('--namespace needs a value');
      expect(setup([...base, '--namespace', 'MCP_System']).stderr).toContain("'MCP_System' is not a valid Kubernetes namespace name");
      expect(setup([...base, '--force']).stderr).toContain('unknown argument --force');
      expect(fakes.calls()).toEqual([]);
    });

    it('when az or kubectl is not installed', () => {
      const noTools = new FakeCommands().add('kubectl', fakeKubectl);
      try {
        const result = runScript(script, base, { PATH: noTools.bin });
        expect(result.status).toBe(1);
        expect(result.stderr).toContain('the Azure CLI (az) is not installed');
      } finally {
        noTools.remove();
      }
      const noKubectl = new FakeCommands().add('az', fakeAz);
      try {
        expect(runScript(script, base, { PATH: noKubectl.bin }).stderr).toContain('kubectl is not installed');
      } finally {
        noKubectl.remove();
      }
    });

    it('when az is not logged in', () => {
      const result = setup(base, { FAKE_LOGGED_OUT: '1' });

      expect(result.status).toBe(1);
      expect(result.stderr).toContain('log in with az login');
      expect(fakes.calls()).toEqual(['az account show --query id -o tsv']);
    });

    it('when the cluster has no OIDC issuer or workload identity, before creating anything', () => {
      for (const aks of ['None\tFalse', `${issuer}\tFalse`]) {
        const result = setup(base, { FAKE_AKS: aks });

        expect(result.status).toBe(1);
        expect(result.stderr).toContain('--enable-oidc-issuer --enable-workload-identity');
      }
      expect(fakes.calls().filter((call) => / (create|update) /.test(call))).toEqual([]);
    });
  });
});
