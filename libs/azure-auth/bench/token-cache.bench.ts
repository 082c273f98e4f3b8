/**
 * What a token costs a caller once one is cached: TokenCache.getToken (a hit) next to calling the
 * bare credential, whose own MSAL cache answers. Both against the Entra emulator over HTTPS, with
 * real @azure/identity. Not a test: `npx nx run azure-auth:bench` (ITERATIONS=n to change the count).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { ClientAssertionCredential, TokenCredential } from '@azure/identity';
import { FederatedTokenFile } from '../src/lib/federated-token-file';
import { TokenCache } from '../src/lib/token-cache';

const SCOPES = ['api://mcp-sample-backend/.default'];
const ITERATIONS = Number(process.env['ITERATIONS'] ?? 20_000);
const ROOT = path.resolve(__dirname, '../../..');

interface EmulatorInfo {
  authorityHost: string;
  caCertPath: string;
  tenantId: string;
  clientId: string;
  tokenFiles: Record<string, string>;
}

async function startEmulator(): Promise<{ info: EmulatorInfo; stop: () => void }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'tools/dev/entra-emulator/src/main.mjs')], {
    env: { ...process.env, PORT: '0', STATE_DIR: mkdtempSync(path.join(tmpdir(), 'bench-entra-')) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const info = await new Promise<EmulatorInfo>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n').find((candidate) => candidate.includes('"entra-emulator listening"'));
      if (line) resolve(JSON.parse(line));
    });
    child.once('exit', () => reject(new Error('the emulator exited before listening')));
  });
  return { info, stop: () => child.kill('SIGTERM') };
}

async function measure(label: string, credential: TokenCredential): Promise<{ label: string; microsPerCall: number; callsPerSecond: number }> {
  await credential.getToken(SCOPES);
  for (let i = 0; i < Math.min(2_000, ITERATIONS); i += 1) await credential.getToken(SCOPES);
  const started = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i += 1) await credential.getToken(SCOPES);
  const elapsedNs = Number(process.hrtime.bigint() - started);
  const microsPerCall = elapsedNs / ITERATIONS / 1_000;
  return { label, microsPerCall, callsPerSecond: Math.round(1_000_000 / microsPerCall) };
}

async function main(): Promise<void> {
  const { info, stop } = await startEmulator();
  try {
    tls.setDefaultCACertificates([...tls.getCACertificates('default'), readFileSync(info.caCertPath, 'utf8')]);
    const tokenFile = new FederatedTokenFile(info.tokenFiles['mcp-server']);
    const createCredential = () =>
      new ClientAssertionCredential(info.tenantId, info.clientId, () => tokenFile.read(), {
        authorityHost: info.authorityHost,
        disableInstanceDiscovery: true,
      });
    const bare = await measure('bare credential (MSAL cache hit)', createCredential());
    const cache = new TokenCache(createCredential, 'workload-identity');
    const cached = await measure('TokenCache.getToken (hit)', cache);
    cache.close();

    const rows = [bare, cached];
    console.log(`\ngetToken on a warm cache, ${ITERATIONS} calls each (Node ${process.version})\n`);
    console.log('| path | µs per call | calls/s |');
    console.log('| --- | ---: | ---: |');
    for (const row of rows) console.log(`| ${row.label} | ${row.microsPerCall.toFixed(2)} | ${row.callsPerSecond.toLocaleString('en')} |`);
    console.log(`\nTokenCache is ${(bare.microsPerCall / cached.microsPerCall).toFixed(0)}x cheaper per call.\n`);
    console.log(JSON.stringify({ benchmark: 'token-cache', iterations: ITERATIONS, node: process.version, rows }));
  } finally {
    stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
