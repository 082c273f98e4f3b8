import tls from 'node:tls';
import { type Emulator, postToken, rawRequest, startTestEmulator, JWT_BEARER } from './test-support';

/**
 * Federated credentials for an issuer outside the emulator (a real cluster's service-account
 * issuer), created through the control API as `az identity federated-identity-credential create`
 * would: the emulator finds the issuer's keys through its OIDC discovery document, as Entra does.
 * The "cluster" here is a second emulator, whose built-in issuer publishes discovery and keys.
 */
describe('federated credentials for an external issuer', () => {
  let entra: Emulator;
  let cluster: Emulator;
  let originalCAs: string[];
  const subject = 'system:serviceaccount:mcp-system:mcp-server';

  const putCredential = (body: Record<string, unknown>) =>
    rawRequest(entra, '/_control/federated-credentials', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    entra = await startTestEmulator({ identities: [{ name: 'mcp-system-uami', clientId: '11111111-1111-1111-1111-111111111111' }] });
    cluster = await startTestEmulator();
    // The emulator fetches the cluster's discovery over HTTPS: trust the cluster's CA in this process.
    originalCAs = tls.getCACertificates('default');
    tls.setDefaultCACertificates([...originalCAs, cluster.caCert]);
  });

  afterAll(async () => {
    if (originalCAs) tls.setDefaultCACertificates(originalCAs);
    await entra?.close();
    await cluster?.close();
  });

  it('refuses a token before the credential exists, and issues one after', async () => {
    const assertion = await cluster.mintServiceAccountToken({ namespace: 'mcp-system', serviceAccount: 'mcp-server' });
    const before = await postToken(entra, { client_assertion: assertion });
    expect(before.json).toMatchObject({ error: 'invalid_client', error_codes: [700211] });

    const created = await putCredential({ identity: 'mcp-system-uami', name: 'mcp-server-credential', issuer: cluster.clusterIssuer, subject });
    expect(created.status).toBe(200);
    expect(created.json).toEqual({
      identity: 'mcp-system-uami',
      clientId: '11111111-1111-1111-1111-111111111111',
      name: 'mcp-server-credential',
      issuer: cluster.clusterIssuer,
      subject,
      audiences: ['api://AzureADTokenExchange'],
    });
    const listed = await rawRequest(entra, '/_control/federated-credentials');
    expect(listed.json.value).toEqual([created.json]);

    const after = await postToken(entra, { client_assertion: assertion, client_assertion_type: JWT_BEARER });
    expect(after.status).toBe(200);
    expect(after.json.access_token).toMatch(/^ey/);
  });

  it("refuses an assertion signed with a key the issuer's JWKS does not publish", async () => {
    await putCredential({ identity: 'mcp-system-uami', name: 'mcp-server-credential', issuer: cluster.clusterIssuer, subject });
    const forged = await cluster.mintServiceAccountToken({ namespace: 'mcp-system', serviceAccount: 'mcp-server', foreignKey: true, kid: 'unpublished' });
    const answer = await postToken(entra, { client_assertion: forged });
    expect(answer.json).toMatchObject({ error: 'invalid_client', error_codes: [7000272] });
  });

  it('refuses, with the metadata error, when the issuer cannot be reached', async () => {
    const unreachable = 'https://127.0.0.1:1/cluster-issuer/';
    await putCredential({ identity: 'mcp-system-uami', name: 'unreachable-credential', issuer: unreachable, subject: 'system:serviceaccount:x:y' });
    const assertion = await cluster.mintServiceAccountToken({ namespace: 'x', serviceAccount: 'y', issuer: unreachable });
    const answer = await postToken(entra, { client_assertion: assertion });
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ error: 'invalid_client', error_codes: [7000272] });
    expect(answer.json.error_description).toContain(unreachable);
  });

  it('names what is wrong with a credential it refuses, and changes nothing', async () => {
    const before = (await rawRequest(entra, '/_control/federated-credentials')).json.value;
    const bad = await putCredential({ identity: 'mcp-system-uami', name: 'x', issuer: 'http://plain.example', subject: '', audiences: [] });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe(
      'name must be 3-120 letters, digits, dashes or underscores, starting with a letter or digit; issuer must be an https URL; ' +
        'subject must be a non-empty string of at most 600 characters; audiences must hold exactly one audience',
    );
    const unknown = await putCredential({ identity: 'nobody', name: 'valid-name', issuer: cluster.clusterIssuer, subject });
    expect(unknown).toMatchObject({ status: 400, json: { error: "no identity with client id or name 'nobody'" } });
    expect((await rawRequest(entra, '/_control/federated-credentials')).json.value).toEqual(before);
  });
});
