// What the workload identity webhook injects into a pod, for a process of the local stack: the
// emulator stands in for Entra ID and for the cluster's OIDC issuer. `entra` is the emulator's
// "entra-emulator listening" line (tools/dev/entra-emulator/src/main.mjs).

/**
 * @param {{ tenantId: string, clientId: string, authorityHost: string, caCertPath: string, tokenFiles: Record<string, string> }} entra
 * @param {string} serviceAccount
 */
export function workloadIdentityEnv(entra, serviceAccount) {
  return {
    AZURE_TENANT_ID: entra.tenantId,
    AZURE_CLIENT_ID: entra.clientId,
    AZURE_AUTHORITY_HOST: entra.authorityHost,
    AZURE_FEDERATED_TOKEN_FILE: entra.tokenFiles[serviceAccount],
    AZURE_DISABLE_INSTANCE_DISCOVERY: 'true',
    NODE_EXTRA_CA_CERTS: entra.caCertPath,
  };
}
