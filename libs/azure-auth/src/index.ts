export { AzureAuthModule } from './lib/azure-auth.module';
export { TokenProvider, TokenProviderMode } from './lib/token-provider';
export { NoTokenProvider } from './lib/no-token.provider';
export type { AccessToken } from '@azure/identity';
