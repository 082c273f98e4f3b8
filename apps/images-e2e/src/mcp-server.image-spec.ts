import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { getJson, imageRuntime, RunningEntraEmulator, RunningServer, startEntraEmulator, startTokenCheckingBackend, WORKSPACE_ROOT } from '@mcp-platform/testing';
import { parse } from 'yaml';
import { builtImage } from './support/built-images';
import { podIdentity, TOKEN_FILE, TOKEN_FOLDER } from './support/pod-identity';
import { RunningContainer, startContainer } from './support/running-container';

const run = promisify(execFile);
const PROFILE_123 = { id: '123', name: 'Ada Lovelace', email: 'ada@example.com', department: 'Engineering' };
const { terminationGracePeriodSeconds } = parse(readFileSync(path.join(WORKSPACE_ROOT, 'charts/mcp-server/values.yaml'), 'utf8')) as {
  terminationGracePeriodSeconds: number;
};

// The deployment guide's Steps 5, 7 and 8 against the image: workload identity through the
// emulated Entra ID, the backend behind it, the guide's curl and its kubectl exec commands.
describe('the mcp-server image, run as its chart runs it', () => {
  const image = builtImage('mcp-server');
  let emulator: RunningEntraEmulator;
  let backend: RunningServer;
  let server: RunningContainer;

  beforeAll(async () => {
    emulator = await startEntraEmulator();
    backend = await startTokenCheckingBackend(emulator);
    const identity = await podIdentity(emulator, 'mcp-server');
    server = await startContainer(image, {
      env: {
        ...identity.env,
        AZURE_SCOPES: 'api://mcp-sample-backend/.default',
        BACKEND_API_URL: backend.baseUrl,
        READINESS_CHECK_BACKEND: 'true',
      },
      volumes: identity.volumes,
    });
  }, 90_000);

  afterAll(async () => {
    await server?.remove();
    await backend?.stop();
    await emulator?.stop();
    if (emulator) rmSync(emulator.stateDir, { recursive: true, force: true });
  });

  it('runs node as PID 1, as uid and gid 10001', async () => {
    const status = await server.exec(['cat', '/proc/1/status', '/proc/1/cmdline']);
    expect(status.stdout).toMatch(/^Uid:\s+10001\s+10001\s+10001/m);
    expect(status.stdout).toMatch(/^Gid:\s+10001\s+10001\s+10001/m);
    expect(status.stdout).toMatch(/node\0(-[^\0]+\0)*main\.js\0/);
  });

  it('starts from the V8 code cache its build made, readable by the app on a read-only root', async () => {
    // main.js is only required here: it reads the cache as it loads app.js, before the server listens.
    const load = "require('./main.js'); setImmediate(() => process.exit(0))";
    const started = await server.exec(['env', 'NODE_DEBUG=code-cache', 'PORT=0', 'node', ...imageRuntime('mcp-server').nodeFlags, '-e', load]);
    expect(started.stderr).toMatch(/code cache \/app\/app\.js\.[0-9a-f]{16}\.code-cache accepted/);
  });

  it('answers /health/live', async () => {
    expect((await getJson(`${server.baseUrl}/health/live`)).status).toBe(200);
  });

  it('is ready: a backend token through workload identity, and the backend answering', async () => {
    const ready = await getJson(`${server.baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.text).toMatch(/workload-identity/);
    expect((await emulator.stats()).tokensIssued).toBeGreaterThanOrEqual(1);
  });

  it("answers the guide's POST /_mcp/messages with the tool result from the backend", async () => {
    const { stdout } = await run('curl', [
      '-s',
      '-X',
      'POST',
      `${server.baseUrl}/_mcp/messages`,
      '-H',
      'Content-Type: application/json',
      '-d',
      '{"method":"tools/call","params":{"name":"get_user_profile","arguments":{"user_id":"123"}}}',
    ]);
    const result = JSON.parse(stdout);
    expect(result.structuredContent).toEqual(PROFILE_123);
    expect(result.isError).toBeUndefined();
  });

  describe("the guide's Step 7 kubectl exec commands, inside the container", () => {
    it('env | grep AZURE: the webhook-injected variables', async () => {
      const env = await server.exec(['env']);
      expect(env.code).toBe(0);
      const azure = env.stdout.split('\n').filter((line) => line.includes('AZURE'));
      expect(azure).toEqual(
        expect.arrayContaining([
          `AZURE_CLIENT_ID=${emulator.clientId}`,
          `AZURE_TENANT_ID=${emulator.tenantId}`,
          `AZURE_AUTHORITY_HOST=${emulator.authorityHost}`,
          `AZURE_FEDERATED_TOKEN_FILE=${TOKEN_FILE}`,
        ]),
      );
    });

    it(`ls -la ${TOKEN_FOLDER}/: the projected token, readable by the app`, async () => {
      const listing = await server.exec(['ls', '-la', `${TOKEN_FOLDER}/`]);
      expect(listing.code).toBe(0);
      expect(listing.stdout).toMatch(/^-rw-r--r-- .* azure-identity-token$/m);
    });

    it('curl -s http://localhost:<port>/health/ready (the pod listens on 8000; here on a free host port)', async () => {
      const ready = await server.exec(['curl', '-s', `http://localhost:${server.port}/health/ready`]);
      expect(ready.code).toBe(0);
      expect(JSON.parse(ready.stdout)).toMatchObject({ status: 'ok' });
    });
  });

  it("passes the image's HEALTHCHECK", async () => {
    if (server.cli.command === 'podman') {
      expect((await server.cli.run(['healthcheck', 'run', server.name])).code).toBe(0);
    } else {
      // Docker runs it on its own schedule only; run its command the same way.
      expect((await server.exec(['sh', '-c', `curl -fsS "http://127.0.0.1:${server.port}/health/live"`])).code).toBe(0);
    }
  });

  it(`stops on SIGTERM with exit code 0 within the chart's grace period (${terminationGracePeriodSeconds} s)`, async () => {
    const { exitCode, seconds } = await server.stopWithin(terminationGracePeriodSeconds);
    process.stdout.write(`mcp-server container stopped in ${seconds.toFixed(1)} s\n`);
    expect(exitCode).toBe(0);
    expect(seconds).toBeLessThan(terminationGracePeriodSeconds);
  });
});
