import http from 'node:http';
import { freePort, RunningServer, startClient, startSampleBackend, startServer, waitForLog } from '@mcp-platform/testing';
import { sampleLatency } from './support/latency-sampler';
import { CallResult, post, steadyLoad } from './support/load';
import { MB, quantile, rssBytes, rssPeakBytes } from './support/process-stats';

// A 60 s outage, as the issue asks (tens of thousands of refused calls, many discovery retries);
// RESILIENCE_OUTAGE_SECONDS=10 is a quicker run while working on the suite.
const OUTAGE_SECONDS = Number(process.env['RESILIENCE_OUTAGE_SECONDS'] ?? 60);
const CALLERS = 20;
// Each caller pauses 10 ms between calls: over 1,000 calls a second against the client while the server is down.
const PAUSE_MS = 10;
// Refused at once, not after a wait for the server: no answer may come near a real connection attempt,
// even one that lost a scheduling slice on a busy 2-core CI host (167 ms seen). The p50 and p99 are
// printed, not asserted (a loaded machine moves them).
const SLOWEST_MS = 1_000;
// Measured outside Jest, the client's RSS climbs ~70 MB over the first ~45,000 refused calls, then
// stays within that peak over the next 45,000: bounded, not a pile-up. Within a 10 s outage it is
// still climbing, hence the allowance; a pile-up of pending calls would climb on without bound.
const RSS_TOLERANCE = 100 * MB;


describe(`the client under load with the MCP server down for ${OUTAGE_SECONDS} s`, () => {
  let backend: RunningServer;
  let server: RunningServer | undefined;
  let client: RunningServer;
  let serverPort: number;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CALLERS });

  beforeAll(async () => {
    backend = await startSampleBackend();
    serverPort = await freePort();
    server = await startServer({ PORT: String(serverPort), BACKEND_API_URL: backend.baseUrl });
    client = await startClient({
      MCP_SERVER_URL: `http://127.0.0.1:${serverPort}`,
      DISCOVERY_RETRY_INITIAL_DELAY: '0.2',
      DISCOVERY_RETRY_MAX_DELAY: '0.5',
      DISCOVERY_INTERVAL: '1',
      // A capped old space (as a container memory limit would set it) makes V8 collect instead of
      // growing lazily, so RSS measures what is retained: a pile-up would climb or end in OOM.
      NODE_OPTIONS: '--max-old-space-size=128',
    });
    await waitForLog(client, /^Discovered 1 tools from/);
  });

  afterAll(async () => {
    agent.destroy();
    await client?.stop();
    await server?.stop();
    await backend?.stop();
  }, 30_000);

  it('answers every caller 503 with Retry-After fast, without piling up, then recovers fully', async () => {
    const load = steadyLoad(
      CALLERS,
      (index) => post(`${client.baseUrl}/tools/get_user_profile/call`, { user_id: '123' }, {}, agent, `outage-${index}`),
      PAUSE_MS,
    );
    await load.answered(200);
    expect(load.results.every((call) => call.status === 200)).toBe(true);

    // The server crashes.
    const crashed = server as RunningServer;
    crashed.child.kill('SIGKILL');
    await crashed.exited;
    const downAt = performance.now();
    // Calls in flight at the crash may end either way; count from the first call that started after it.
    await load.answered(load.results.length + CALLERS * 2);
    const live = sampleLatency(`${client.baseUrl}/health/live`, 50);
    // The first third of the outage fills the heap to its working size (V8 collects lazily); then
    // the RSS at the end must not climb past the peak reached by then: a pile-up would.
    await new Promise((resolve) => setTimeout(resolve, (OUTAGE_SECONDS * 1000) / 3));
    const rssAtStart = rssPeakBytes(client.child.pid as number);
    await new Promise((resolve) => setTimeout(resolve, (OUTAGE_SECONDS * 2000) / 3));
    const rssAtEnd = rssBytes(client.child.pid as number);
    const probes = await live.stop();
    const duringOutage = load.results.filter((call) => call.startedAt > downAt);

    // Recovery: the server returns on the same port; calls started after the client says so all succeed.
    server = await startServer({ PORT: String(serverPort), BACKEND_API_URL: backend.baseUrl });
    await waitForLog(client, /answers again$/, { timeoutMs: 10_000 });
    const backAt = performance.now();
    await load.answered(load.results.length + 500);
    const results = await load.stop();
    const afterRecovery = results.filter((call) => call.startedAt > backAt);

    const outageMs = duringOutage.map((call) => call.ms);
    const probeMs = probes.map((probe) => probe.ms);
    process.stdout.write(
      `${JSON.stringify({
        outageSeconds: OUTAGE_SECONDS,
        callsDuringOutage: duringOutage.length,
        outageP50Ms: Math.round(quantile(outageMs, 0.5) * 10) / 10,
        outageP99Ms: Math.round(quantile(outageMs, 0.99) * 10) / 10,
        outageMaxMs: Math.round(Math.max(...outageMs) * 10) / 10,
        liveP99Ms: Math.round(quantile(probeMs, 0.99) * 10) / 10,
        liveMaxMs: Math.round(Math.max(...probeMs) * 10) / 10,
        clientRssMb: [Math.round(rssAtStart / MB), Math.round(rssAtEnd / MB)],
        callsAfterRecovery: afterRecovery.length,
      })}\n`,
    );

    // Down: every call a 503 with Retry-After, each fast.
    expect(duringOutage.length).toBeGreaterThan(OUTAGE_SECONDS * 200);
    const not503 = duringOutage.filter((call: CallResult) => call.status !== 503 || !/^[1-9]\d*$/.test(String(call.headers['retry-after'])));
    expect(not503.slice(0, 3).map((call) => ({ status: call.status, retryAfter: call.headers['retry-after'], text: call.text }))).toEqual([]);
    expect(duringOutage.every((call) => JSON.parse(call.text).error === 'server_unavailable')).toBe(true);
    expect(Math.max(...outageMs)).toBeLessThan(SLOWEST_MS);
    // No pile-up: the client's event loop answered its probes, and its memory stayed flat.
    expect(probes.filter((probe) => probe.status !== 200)).toEqual([]);
    expect(Math.max(...probeMs)).toBeLessThan(1_000);
    expect(rssAtEnd - rssAtStart).toBeLessThan(RSS_TOLERANCE);

    // Back: every call after the client saw the server again succeeds.
    expect(afterRecovery.length).toBeGreaterThanOrEqual(400);
    expect(afterRecovery.filter((call) => call.status !== 200).slice(0, 3).map((call) => ({ status: call.status, text: call.text }))).toEqual([]);
  });
});
