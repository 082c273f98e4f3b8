import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RunningProcess, RunningServer, startNodeProcess, startSampleBackend, stopUnlessSeen, WORKSPACE_ROOT } from './processes';

export const ENTRA_EMULATOR_MAIN = path.join(WORKSPACE_ROOT, 'tools/dev/entra-emulator/src/main.mjs');
export const LOCAL_STACK_IDENTITY_CONFIG = path.join(WORKSPACE_ROOT, 'tools/dev/entra-emulator/config/local-stack.json');

export interface RunningEntraEmulator extends RunningProcess {
  readonly authorityHost: string;
  readonly caCertPath: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly stateDir: string;
  /** Projected service-account token files by service account name (`mcp-server`, `mcp-client`). */
  readonly tokenFiles: Record<string, string>;
  issuer(tenant?: string): string;
  jwksUri(tenant?: string): string;
  /** POSTs to one of the emulator's `/_control/*` endpoints (faults, reset, access-token, service-account-token). */
  control<T = unknown>(action: string, body?: object): Promise<T>;
  stats(): Promise<{ tokenRequests: number; tokensIssued: number; tokenErrors: number; hits: Record<string, number> }>;
  /** The environment an app needs for workload identity against this emulator, as the AKS webhook injects it. */
  workloadIdentityEnv(serviceAccount: string): Record<string, string>;
  /** The environment an app needs to verify inbound tokens this emulator issues (no outbound identity). */
  tokenVerifierEnv(): Record<string, string>;
}

/**
 * Starts the Entra ID emulator as its own process with a config derived from the local stack's
 * (overrides merged on top), in a fresh state folder, on a free port.
 */
export async function startEntraEmulator(overrides: Record<string, unknown> = {}): Promise<RunningEntraEmulator> {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'entra-emulator-'));
  const config = { ...JSON.parse(readFileSync(LOCAL_STACK_IDENTITY_CONFIG, 'utf8')), ...overrides };
  const configPath = path.join(stateDir, 'config.json');
  writeFileSync(configPath, JSON.stringify(config));
  const proc = startNodeProcess(ENTRA_EMULATOR_MAIN, { PORT: '0', HOST: '127.0.0.1', STATE_DIR: stateDir }, [configPath]);
  const ready = JSON.parse(await stopUnlessSeen(proc, /"msg":"entra-emulator listening"/));
  const ca = readFileSync(ready.caCertPath);
  const authorityHost: string = ready.authorityHost.replace(/\/+$/, '');
  const tenantId: string = ready.tenantId;

  const control = <T>(action: string, body?: object) => httpsJson<T>(`${authorityHost}/_control/${action}`, ca, body);
  return Object.assign(proc, {
    authorityHost,
    caCertPath: ready.caCertPath as string,
    tenantId,
    clientId: ready.clientId as string,
    stateDir,
    tokenFiles: ready.tokenFiles as Record<string, string>,
    issuer: (tenant = tenantId) => `${authorityHost}/${tenant}/v2.0`,
    jwksUri: (tenant = tenantId) => `${authorityHost}/${tenant}/discovery/v2.0/keys`,
    control,
    stats: () => httpsJson<Awaited<ReturnType<RunningEntraEmulator['stats']>>>(`${authorityHost}/_control/stats`, ca),
    workloadIdentityEnv: (serviceAccount: string) => ({
      AZURE_TENANT_ID: tenantId,
      AZURE_CLIENT_ID: ready.clientId as string,
      AZURE_AUTHORITY_HOST: authorityHost,
      AZURE_FEDERATED_TOKEN_FILE: (ready.tokenFiles as Record<string, string>)[serviceAccount],
      AZURE_DISABLE_INSTANCE_DISCOVERY: 'true',
      NODE_EXTRA_CA_CERTS: ready.caCertPath as string,
    }),
    tokenVerifierEnv: () => ({
      AZURE_TENANT_ID: tenantId,
      AZURE_AUTHORITY_HOST: authorityHost,
      AZURE_CREDENTIAL: 'none',
      NODE_EXTRA_CA_CERTS: ready.caCertPath as string,
    }),
  });
}

/** GET (no body) or POST JSON over HTTPS, trusting exactly the given CA. */
export function httpsJson<T>(url: string, ca: Buffer, body?: object): Promise<T> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = https.request(
      url,
      { method: payload === undefined ? 'GET' : 'POST', ca, headers: payload === undefined ? {} : { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          if ((res.statusCode ?? 500) >= 400) reject(new Error(`${url} answered ${res.statusCode}: ${text}`));
          else resolve(JSON.parse(text) as T);
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The sample backend as an Entra-protected API: every call needs a valid token from `emulator` (signature, issuer, audience). */
export function startTokenCheckingBackend(emulator: RunningEntraEmulator, env: Record<string, string> = {}): Promise<RunningServer> {
  return startSampleBackend(0, {
    BACKEND_AUTH_JWKS_URI: emulator.jwksUri(),
    BACKEND_AUTH_ISSUER: emulator.issuer(),
    NODE_EXTRA_CA_CERTS: emulator.caCertPath,
    ...env,
  });
}
