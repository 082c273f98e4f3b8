import { Test } from '@nestjs/testing';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HealthIndicatorService } from '@nestjs/terminus';
import { TokenProvider } from '@mcp-platform/azure-auth';
import { BackendApiHealthIndicator } from './backend-api.health';
import { HEALTH_OPTIONS, HealthModuleOptions } from './health.options';
import { TokenHealthIndicator } from './token.health';

function listen(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/health`, close: () => new Promise((done) => (server.closeAllConnections(), server.close(() => done()))) });
    }),
  );
}

async function indicators(options: HealthModuleOptions, tokens: TokenProvider) {
  const moduleRef = await Test.createTestingModule({
    providers: [
      HealthIndicatorService,
      BackendApiHealthIndicator,
      TokenHealthIndicator,
      { provide: HEALTH_OPTIONS, useValue: options },
      { provide: TokenProvider, useValue: tokens },
    ],
  }).compile();
  return { backend: moduleRef.get(BackendApiHealthIndicator), token: moduleRef.get(TokenHealthIndicator) };
}

const noTokens: TokenProvider = { mode: 'none', getToken: async () => undefined };

describe('BackendApiHealthIndicator', () => {
  it('is up when the backend answers 2xx', async () => {
    const backend = await listen((_req, res) => res.end('{}'));
    const { backend: indicator } = await indicators({ backendHealthUrl: backend.url }, noTokens);
    expect(await indicator.isHealthy()).toEqual({ 'backend-api': { status: 'up', url: backend.url } });
    await backend.close();
  });

  it('is down naming the status when the backend answers 5xx', async () => {
    const backend = await listen((_req, res) => ((res.statusCode = 502), res.end()));
    const { backend: indicator } = await indicators({ backendHealthUrl: backend.url }, noTokens);
    expect(await indicator.isHealthy()).toEqual({ 'backend-api': { status: 'down', url: backend.url, reason: 'answered HTTP 502' } });
    await backend.close();
  });

  it('is down within the backend timeout when the backend stalls', async () => {
    const backend = await listen(() => undefined);
    const { backend: indicator } = await indicators({ backendHealthUrl: backend.url, backendTimeoutMs: 100 }, noTokens);
    const started = performance.now();
    expect(await indicator.isHealthy()).toEqual({ 'backend-api': { status: 'down', url: backend.url, reason: 'timed out after 100 ms' } });
    expect(performance.now() - started).toBeLessThan(1_000);
    await backend.close();
  });

  it('is down naming the connection error when nothing listens', async () => {
    const gone = await listen(() => undefined);
    await gone.close();
    const { backend: indicator } = await indicators({ backendHealthUrl: gone.url }, noTokens);
    const result = await indicator.isHealthy();
    expect(result['backend-api']).toMatchObject({ status: 'down', reason: expect.stringContaining('ECONNREFUSED') });
  });
});

describe('TokenHealthIndicator', () => {
  it('is up with mode none when no Azure identity is configured', async () => {
    const { token } = await indicators({}, noTokens);
    expect(await token.isHealthy()).toEqual({ token: { status: 'up', mode: 'none' } });
  });

  it('is up with the seconds left when a token can be had', async () => {
    const tokens: TokenProvider = {
      mode: 'workload-identity',
      getToken: async () => ({ token: 'x', expiresOnTimestamp: Date.now() + 3_600_000, tokenType: 'Bearer' }),
    };
    const { token } = await indicators({ tokenScopes: ['api://backend/.default'] }, tokens);
    const result = (await token.isHealthy())['token'] as Record<string, unknown>;
    expect(result).toMatchObject({ status: 'up', mode: 'workload-identity', scopes: ['api://backend/.default'] });
    expect(result['expiresInSeconds']).toBeGreaterThan(3_590);
  });

  it('is down with the reason when no token can be had', async () => {
    const tokens: TokenProvider = {
      mode: 'workload-identity',
      getToken: async () => {
        throw new Error('AADSTS700213: No matching federated identity record found');
      },
    };
    const { token } = await indicators({ tokenScopes: ['s'] }, tokens);
    expect((await token.isHealthy())['token']).toMatchObject({ status: 'down', reason: 'AADSTS700213: No matching federated identity record found' });
  });
});
