import http from 'node:http';
import { postJson, RunningServer, startClient, startSampleBackend, startServer, waitForLog } from '@mcp-platform/testing';
import { CallResult, post, SteadyLoad, steadyLoad } from './support/load';
import { RoundRobinProxy } from './support/round-robin-proxy';

const USERS = ['123', '456', '789'];
const CALLERS = 20;
const serverEnv = (backendUrl: string) => ({ BACKEND_API_URL: backendUrl, SHUTDOWN_TIMEOUT: '10' });

describe('a rolling restart of two server replicas behind a round-robin balancer, under load from the client', () => {
  let backend: RunningServer;
  const replicas: RunningServer[] = [];
  let client: RunningServer;
  const proxy = new RoundRobinProxy();
  const agent = new http.Agent({ keepAlive: true, maxSockets: CALLERS });

  beforeAll(async () => {
    backend = await startSampleBackend();
    // Every backend answer takes 100 ms, so calls are always in flight when a replica gets SIGTERM.
    await postJson(`${backend.baseUrl}/_control/faults`, { mode: 'stall', delayMs: 100 });
  });

  afterAll(async () => {
    agent.destroy();
    await client?.stop();
    await proxy.close();
    for (const replica of replicas) await replica.stop();
    await backend?.stop();
  });

  async function replica(): Promise<RunningServer> {
    const started = await startServer(serverEnv(backend.baseUrl));
    replicas.push(started);
    return started;
  }

  /** Takes `old` out of the pool (endpoint removal), SIGTERMs it, and puts a fresh replica in. */
  async function replace(old: RunningServer, load: SteadyLoad<CallResult>) {
    proxy.remove(old.port);
    const inFlight = proxy.inFlight(old.port).filter((request) => request.rpcMethod === 'tools/call');
    old.child.kill('SIGTERM');
    const fresh = await replica();
    proxy.add(fresh.port);
    const exitCode = await old.exited;
    // Let the new replica take a share of the load before the next step.
    await load.answered(load.results.length + 100);
    return { fresh, exitCode, inFlight };
  }

  it('loses no call, answers none twice, and lets the calls in flight finish', async () => {
    const a = await replica();
    const b = await replica();
    const proxyUrl = await proxy.start([a.port, b.port]);
    client = await startClient({ MCP_SERVER_URL: proxyUrl, DISCOVERY_RETRY_INITIAL_DELAY: '0.2', DISCOVERY_RETRY_MAX_DELAY: '0.5' });
    await waitForLog(client, /^Discovered 1 tools from/);

    const load = steadyLoad(CALLERS, (index) =>
      post(`${client.baseUrl}/tools/get_user_profile/call`, { user_id: USERS[index % USERS.length] }, {}, agent, `roll-${index}`),
    );
    await load.answered(200);
    const first = await replace(a, load);
    const second = await replace(b, load);
    await load.answered(load.results.length + 200);
    const results = await load.stop();

    // Each replica drained and exited 0, with tool calls still running on it when SIGTERM came.
    expect([first.exitCode, second.exitCode]).toEqual([0, 0]);
    expect(first.inFlight.length).toBeGreaterThan(0);
    expect(second.inFlight.length).toBeGreaterThan(0);
    for (const request of [...first.inFlight, ...second.inFlight]) expect(request).toMatchObject({ done: true, status: 200 });
    expect(first.inFlight.every((request) => !request.error) && second.inFlight.every((request) => !request.error)).toBe(true);

    // Zero failed calls; each answer is the one asked for (its marker echoed, its user's profile).
    const failed = results.filter((call) => call.status !== 200);
    expect(failed.slice(0, 3).map((call) => ({ status: call.status, text: call.text }))).toEqual([]);
    for (const call of results) {
      const index = Number(call.id.slice('roll-'.length));
      expect(call.headers['x-request-id']).toBe(call.id);
      expect(JSON.parse(call.text).structuredContent.id).toBe(USERS[index % USERS.length]);
    }
    // No call answered twice: every marker once at the caller, and once (one tools/call) at the balancer.
    expect(new Set(results.map((call) => call.id)).size).toBe(results.length);
    const perMarker = new Map<string, number>();
    for (const request of proxy.forwarded) {
      if (request.requestId && request.rpcMethod === 'tools/call') perMarker.set(request.requestId, (perMarker.get(request.requestId) ?? 0) + 1);
    }
    const otherWithMarker = proxy.forwarded.filter((request) => request.requestId && request.rpcMethod !== 'tools/call');
    expect([...perMarker.entries()].filter(([, count]) => count !== 1)).toEqual([]);
    expect(perMarker.size).toBe(results.length);

    // Both new replicas served calls.
    const servedBy = (port: number) => proxy.forwarded.filter((request) => request.upstreamPort === port && request.requestId).length;
    expect(servedBy(first.fresh.port)).toBeGreaterThan(0);
    expect(servedBy(second.fresh.port)).toBeGreaterThan(0);
    process.stdout.write(
      `${JSON.stringify({
        calls: results.length,
        inFlightAtSigterm: [first.inFlight.length, second.inFlight.length],
        nonCallRequestsCarryingACallsMarker: otherWithMarker.map((request) => `${request.requestId} ${request.method} ${request.rpcMethod} ${request.status} ${request.error ?? ''}`),
      })}\n`,
    );
  });
});
