import https from 'node:https';
import { startEntraEmulator } from './entra-emulator.mjs';

export type Emulator = Awaited<ReturnType<typeof startEntraEmulator>>;

export const TENANT = '00000000-0000-0000-0000-000000000001';
export const UAMI_CLIENT_ID = '11111111-1111-1111-1111-111111111111';
export const OTHER_APP_CLIENT_ID = '22222222-2222-2222-2222-222222222222';
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** The local stack's shape: one UAMI federated with two service accounts, two resource APIs. */
export function startTestEmulator(overrides: Parameters<typeof startEntraEmulator>[0] = {}) {
  return startEntraEmulator({
    log: () => undefined,
    tenants: [TENANT],
    identities: [
      {
        name: 'mcp-system-uami',
        clientId: UAMI_CLIENT_ID,
        federatedCredentials: [
          { name: 'mcp-server-credential', subject: 'system:serviceaccount:mcp-system:mcp-server', audiences: ['api://AzureADTokenExchange'] },
          { name: 'mcp-client-credential', subject: 'system:serviceaccount:mcp-system:mcp-client', audiences: ['api://AzureADTokenExchange'] },
        ],
      },
      { name: 'no-federation-app', clientId: OTHER_APP_CLIENT_ID },
    ],
    resources: [
      { appIdUri: 'api://mcp-sample-backend', grants: { [UAMI_CLIENT_ID]: ['Users.Read'] } },
      { appIdUri: 'api://mcp-server', grants: { [UAMI_CLIENT_ID]: ['Tools.Call'] } },
    ],
    ...overrides,
  });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  elapsedMs: number;
}

/** One HTTPS request trusting only the emulator's CA (no global trust changes). */
export function rawRequest(emulator: Emulator, pathOrUrl: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const url = new URL(pathOrUrl, emulator.authorityHost);
  const started = performance.now();
  return new Promise<RawResponse>((resolve, reject) => {
    const req = https.request(url, { method: init.method ?? 'GET', headers: init.headers, ca: emulator.caCert, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, elapsedMs: performance.now() - started });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** POSTs a client-credentials request with a federated assertion to the tenant's token endpoint. */
export function postToken(emulator: Emulator, params: Record<string, string>, tenant = TENANT) {
  return rawRequest(emulator, `/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: UAMI_CLIENT_ID,
      scope: 'api://mcp-sample-backend/.default',
      client_assertion_type: JWT_BEARER,
      ...params,
    }).toString(),
  });
}
