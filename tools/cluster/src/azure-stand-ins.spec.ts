import fs from 'node:fs';
import path from 'node:path';

const { federatedCredentialCommands, federatedCredentials } = await import('./azure-stand-ins.mjs');
const { repoRoot, serviceAccountIssuer } = await import('./layout.mjs');

describe("the guide's Step 4 in the emulator", () => {
  it('creates one credential per service account, named, scoped and audienced as the guide does', () => {
    expect(federatedCredentials()).toEqual(
      ['mcp-server', 'mcp-client'].map((sa) => ({
        identity: 'mcp-system-uami',
        name: `${sa}-credential`,
        issuer: serviceAccountIssuer,
        subject: `system:serviceaccount:mcp-system:${sa}`,
        audiences: ['api://AzureADTokenExchange'],
      })),
    );
  });

  it('prints them as the az commands of the guide, with the issuer filled in', () => {
    const [server, client] = federatedCredentialCommands();
    for (const [command, sa] of [[server, 'mcp-server'], [client, 'mcp-client']]) {
      expect(command.split(/\s+\\?\s*/).filter((word) => word !== '\\')).toEqual([
        'az', 'identity', 'federated-identity-credential', 'create',
        '--resource-group', '"$RG"', '--identity-name', 'mcp-system-uami',
        '--name', `${sa}-credential`,
        '--issuer', serviceAccountIssuer,
        '--subject', `system:serviceaccount:mcp-system:${sa}`,
        '--audience', 'api://AzureADTokenExchange',
      ]);
    }
  });

  it('uses the emulator configuration that has the identity and the backend resource', () => {
    const config = JSON.parse(fs.readFileSync(path.join(repoRoot, 'tools/dev/entra-emulator/config/cluster.json'), 'utf8'));
    expect(config.identities.map((identity: { name: string }) => identity.name)).toContain('mcp-system-uami');
    expect(config.resources.map((resource: { appIdUri: string }) => resource.appIdUri)).toContain('api://mcp-sample-backend');
  });
});
