import type { AzureAuthModuleOptions } from '@mcp-platform/azure-auth';
import type { ServiceConfig } from '@mcp-platform/config';

/** `AzureAuthModule.forRoot`'s options from the `AZURE_*` settings every service reads. */
export function azureAuthOptions(config: ServiceConfig & { AZURE_TENANT_ID?: string }): AzureAuthModuleOptions {
  return {
    credential: config.AZURE_CREDENTIAL,
    tenantId: config.AZURE_TENANT_ID,
    clientId: config.AZURE_CLIENT_ID,
    federatedTokenFile: config.AZURE_FEDERATED_TOKEN_FILE,
    authorityHost: config.AZURE_AUTHORITY_HOST,
    disableInstanceDiscovery: config.AZURE_DISABLE_INSTANCE_DISCOVERY,
  };
}
