import { postJson, RunningEntraEmulator, RunningServer, startEntraEmulator, startServer, startTokenCheckingBackend } from '@mcp-platform/testing';

const BACKEND_SCOPE = 'api://mcp-sample-backend/.default';
const callProfile = (id: number | string, userId = '123') => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name: 'get_user_profile', arguments: { user_id: userId } },
});

async function backendSeen(backend: RunningServer): Promise<{ requests: number; validTokens: number; rejected: number }> {
  return (await fetch(`${backend.baseUrl}/_control/seen`)).json();
}

function startProtectedBackend(emulator: RunningEntraEmulator) {
  return startTokenCheckingBackend(emulator, { BACKEND_AUTH_AUDIENCE: 'api://mcp-sample-backend' });
}

function startServerWithIdentity(emulator: RunningEntraEmulator, backend: RunningServer, env: Record<string, string> = {}) {
  return startServer({
    ...emulator.workloadIdentityEnv('mcp-server'),
    AZURE_SCOPES: BACKEND_SCOPE,
    BACKEND_API_URL: backend.baseUrl,
    ...env,
  });
}

/** Every JWT-shaped string: nothing of the kind may appear in a log line. */
const JWT_PATTERN = /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]+/;

describe('outbound tokens through workload identity (real @azure/identity, emulated Entra over HTTPS)', () => {
  let emulator: RunningEntraEmulator;
  let backend: RunningServer;
  let server: RunningServer;

  beforeAll(async () => {
    emulator = await startEntraEmulator();
    backend = await startProtectedBackend(emulator);
  });

  afterEach(async () => {
    await server?.stop();
  });

  afterAll(async () => {
    await backend?.stop();
    await emulator?.stop();
  });

  it('serves 1000 concurrent calls on a cold server with exactly one token request', async () => {
    server = await startServerWithIdentity(emulator, backend);
    await emulator.control('reset', {});
    const before = await backendSeen(backend);
    const responses = await Promise.all(Array.from({ length: 1000 }, (_, i) => postJson(`${server.baseUrl}/_mcp/messages`, callProfile(i))));
    expect(responses.filter((response) => response.json?.result?.structuredContent?.id === '123')).toHaveLength(1000);
    expect((await emulator.stats()).tokenRequests).toBe(1);
    const after = await backendSeen(backend);
    expect(after.validTokens - before.validTokens).toBe(1000);
    expect(after.rejected).toBe(before.rejected);

    const ready = await (await fetch(`${server.baseUrl}/health/ready`)).json();
    expect(ready.info.token).toMatchObject({ status: 'up', mode: 'workload-identity' });
    expect(server.lines.join('\n')).not.toMatch(JWT_PATTERN);
  });

  it('is refused by the backend without a token, which proves the backend really checks', async () => {
    server = await startServer({ BACKEND_API_URL: backend.baseUrl, AZURE_CREDENTIAL: 'none' });
    const response = await postJson(`${server.baseUrl}/_mcp/messages`, callProfile(1));
    expect(response.json.result).toEqual({ isError: true, content: [{ type: 'text', text: 'backend API refused the call (HTTP 401)' }] });
  });

  it('uses the new assertion on the next token request after the kubelet rotates the file', async () => {
    const tokenFile = `${emulator.stateDir}/tokens/rotating/token`;
    await emulator.control('service-account-token', { file: tokenFile, namespace: 'mcp-system', serviceAccount: 'other' });
    server = await startServerWithIdentity(emulator, backend, { AZURE_FEDERATED_TOKEN_FILE: tokenFile });
    const refused = await postJson(`${server.baseUrl}/_mcp/messages`, callProfile(1));
    expect(refused.json.result.content[0].text).toMatch(/AADSTS700213/);

    // The kubelet re-projects the token (here: for the right service account) and the next request uses it.
    await emulator.control('service-account-token', { file: tokenFile, namespace: 'mcp-system', serviceAccount: 'mcp-server' });
    let answer = refused;
    for (let attempt = 0; attempt < 50 && answer.json.result.isError; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      answer = await postJson(`${server.baseUrl}/_mcp/messages`, callProfile(2));
    }
    expect(answer.json.result.structuredContent).toMatchObject({ id: '123' });
  });
});

describe('a misconfigured identity', () => {
  let emulator: RunningEntraEmulator;
  let backend: RunningServer;

  beforeAll(async () => {
    emulator = await startEntraEmulator();
    backend = await startProtectedBackend(emulator);
  });

  afterAll(async () => {
    await backend?.stop();
    await emulator?.stop();
  });

  const cases: Array<[string, (emulator: RunningEntraEmulator) => Promise<Record<string, string>>, RegExp]> = [
    ['a federated subject that matches no credential', async (e) => ({ AZURE_FEDERATED_TOKEN_FILE: await tokenFile(e, { serviceAccount: 'intruder' }) }), /AADSTS700213/],
    ['an assertion for the wrong audience', async (e) => ({ AZURE_FEDERATED_TOKEN_FILE: await tokenFile(e, { audience: 'api://not-the-exchange' }) }), /AADSTS7002(12|11|13)/],
    ['an expired assertion', async (e) => ({ AZURE_FEDERATED_TOKEN_FILE: await tokenFile(e, { expiresInSeconds: -600 }) }), /AADSTS700024/],
    ['an unknown tenant', async () => ({ AZURE_TENANT_ID: 'ffffffff-0000-0000-0000-00000000dead' }), /AADSTS90002/],
  ];

  async function tokenFile(e: RunningEntraEmulator, options: object): Promise<string> {
    const file = `${e.stateDir}/tokens/case-${Math.random().toString(36).slice(2)}/token`;
    await e.control('service-account-token', { file, namespace: 'mcp-system', serviceAccount: 'mcp-server', ...options });
    return file;
  }

  it.each(cases)('with %s: starts, is unready naming the AADSTS reason, and tool calls say why', async (_label, envFor, reason) => {
    const server = await startServerWithIdentity(emulator, backend, await envFor(emulator));
    try {
      const ready = await fetch(`${server.baseUrl}/health/ready`);
      expect(ready.status).toBe(503);
      expect((await ready.json()).error.token).toMatchObject({ status: 'down', reason: expect.stringMatching(reason) });
      const call = await postJson(`${server.baseUrl}/_mcp/messages`, callProfile(1));
      expect(call.json.result.isError).toBe(true);
      expect(call.json.result.content[0].text).toMatch(reason);
      expect(server.lines.join('\n')).not.toMatch(JWT_PATTERN);
    } finally {
      await server.stop();
    }
  });
});
