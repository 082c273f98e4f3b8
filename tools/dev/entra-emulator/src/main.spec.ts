import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MAIN = path.join(HERE, 'main.mjs');
const WORKSPACE_ROOT = path.resolve(HERE, '../../../..');

interface Listening {
  msg: string;
  authorityHost: string;
  caCertPath: string;
  tenantId: string;
  clientId: string;
  tokenFiles: Record<string, string>;
}

/**
 * The CLI as the local stack runs it, and an app process that trusts it the way apps will:
 * NODE_EXTRA_CA_CERTS plus the variables the workload identity webhook injects.
 */
describe('main.mjs with the local-stack config', () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'entra-emulator-main-'));
  let child: ChildProcess | undefined;
  let listening: Listening;

  beforeAll(async () => {
    child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env['PATH'] ?? '', PORT: '0', STATE_DIR: stateDir, TOKEN_ROTATION_SECONDS: '600' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    listening = await new Promise<Listening>((resolve, reject) => {
      let output = '';
      child?.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        for (const line of output.split('\n')) {
          if (line.includes('"entra-emulator listening"')) resolve(JSON.parse(line));
        }
      });
      child?.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child?.once('exit', (code) => reject(new Error(`main.mjs exited (${code}): ${output}`)));
    });
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await new Promise((resolve) => child?.once('exit', resolve));
    }
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('prints where it is and writes the CA and both projected token files', () => {
    expect(listening).toMatchObject({
      msg: 'entra-emulator listening',
      authorityHost: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+$/),
      caCertPath: path.join(stateDir, 'ca.pem'),
      tenantId: '00000000-0000-0000-0000-000000000001',
      clientId: '11111111-1111-1111-1111-111111111111',
      tokenFiles: { 'mcp-server': path.join(stateDir, 'tokens/mcp-server/token'), 'mcp-client': path.join(stateDir, 'tokens/mcp-client/token') },
    });
    expect(fs.readFileSync(listening.caCertPath, 'utf8')).toContain('BEGIN CERTIFICATE');
    for (const file of Object.values(listening.tokenFiles)) expect(fs.readFileSync(file, 'utf8').split('.')).toHaveLength(3);
  });

  it('gives an app process configured only by environment a token (NODE_EXTRA_CA_CERTS + AZURE_*)', async () => {
    const script = [
      "import { WorkloadIdentityCredential } from '@azure/identity';",
      "const token = await new WorkloadIdentityCredential({ disableInstanceDiscovery: true }).getToken('api://mcp-sample-backend/.default');",
      "const claims = JSON.parse(Buffer.from(token.token.split('.')[1], 'base64url').toString());",
      'console.log(JSON.stringify({ aud: claims.aud, roles: claims.roles, iss: claims.iss }));',
    ].join('\n');
    const app = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: WORKSPACE_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        NODE_EXTRA_CA_CERTS: listening.caCertPath,
        AZURE_AUTHORITY_HOST: listening.authorityHost,
        AZURE_TENANT_ID: listening.tenantId,
        AZURE_CLIENT_ID: listening.clientId,
        AZURE_FEDERATED_TOKEN_FILE: listening.tokenFiles['mcp-server'],
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    app.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    app.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => app.once('exit', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(stdout)).toEqual({
      aud: 'api://mcp-sample-backend',
      roles: ['Users.Read'],
      iss: `${listening.authorityHost}/00000000-0000-0000-0000-000000000001/v2.0`,
    });
  });

  it('stops on SIGTERM with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => child?.once('exit', resolve));
    child?.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
