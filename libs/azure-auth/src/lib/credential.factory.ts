import { AzureCliCredential, ChainedTokenCredential, EnvironmentCredential, TokenCredential, WorkloadIdentityCredential } from '@azure/identity';
import { AzureAuthModuleOptions } from './azure-auth.options';
import { TokenProviderMode } from './token-provider';

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
    return {
      mode: 'workload-identity',
      credential: new WorkloadIdentityCredential({
        tenantId: options.tenantId,
        clientId: options.clientId,
        tokenFilePath: options.federatedTokenFile,
        authorityHost: options.authorityHost,
        disableInstanceDiscovery: options.disableInstanceDiscovery,
      }),
    };
  }
  if (kind === 'developer' || options.tenantId || options.clientId) {
    const common = { tenantId: options.tenantId, authorityHost: options.authorityHost };
    return { mode: 'developer', credential: new ChainedTokenCredential(new EnvironmentCredential(common), new AzureCliCredential(common)) };
  }
  return { mode: 'none' };
}
