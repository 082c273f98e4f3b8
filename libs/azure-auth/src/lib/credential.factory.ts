import type { TokenCredential } from '@azure/identity';
import { AzureAuthModuleOptions } from './azure-auth.options';
import { FederatedTokenFile } from './federated-token-file';
import { TokenProviderMode } from './token-provider';

/**
 * The token cache is the retry policy (bounded, jittered, serving the valid token meanwhile). The
 * HTTP pipeline's own retries were measured to stretch one failing token request to 3-6 s, which
 * held a refresh in flight past a short outage's end.
 */
const NO_PIPELINE_RETRIES = { maxRetries: 0 };

export interface SelectedCredential {
  mode: TokenProviderMode;
  credential?: TokenCredential;
}

/**
 * One credential per process. `auto`: workload identity when a federated token file is present
 * (the AKS webhook injects AZURE_FEDERATED_TOKEN_FILE); the developer chain (environment, then
 * Azure CLI) when a tenant or client id is configured without one; no credential otherwise.
 */
export function selectCredential(options: AzureAuthModuleOptions): SelectedCredential {
  const kind = options.credential ?? 'auto';
  if (kind === 'none') return { mode: 'none' };
  if (kind === 'workload-identity' || (kind === 'auto' && options.federatedTokenFile)) {
    return { mode: 'workload-identity', credential: workloadIdentityCredential(options) };
  }
  if (kind === 'developer' || options.tenantId || options.clientId) {
    const { AzureCliCredential, ChainedTokenCredential, EnvironmentCredential } = loadIdentity();
    const common = { tenantId: options.tenantId, authorityHost: options.authorityHost, retryOptions: NO_PIPELINE_RETRIES };
    return { mode: 'developer', credential: new ChainedTokenCredential(new EnvironmentCredential(common), new AzureCliCredential(common)) };
  }
  return { mode: 'none' };
}

/**
 * Workload identity as WorkloadIdentityCredential does it (the projected service-account token as
 * the client assertion of a client-credentials grant), but with the token file re-read as soon as
 * the kubelet rotates it; see FederatedTokenFile.
 */
function workloadIdentityCredential(options: AzureAuthModuleOptions): TokenCredential {
  const missing = (['tenantId', 'clientId', 'federatedTokenFile'] as const).filter((name) => !options[name]);
  if (missing.length > 0) throw new Error(`workload identity needs ${missing.join(', ')} (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE)`);
  const tokenFile = new FederatedTokenFile(options.federatedTokenFile as string);
  const { ClientAssertionCredential } = loadIdentity();
  return new ClientAssertionCredential(options.tenantId as string, options.clientId as string, () => tokenFile.read(), {
    authorityHost: options.authorityHost,
    disableInstanceDiscovery: options.disableInstanceDiscovery,
    retryOptions: NO_PIPELINE_RETRIES,
  });
}

/**
 * @azure/identity and the Azure core libraries it pulls in cost ~150 ms and ~12 MB at start-up
 * (measured): a process without an Azure identity never loads them.
 */
function loadIdentity(): typeof import('@azure/identity') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@azure/identity');
}
