import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, startNodeProcess, WORKSPACE_ROOT } from '@mcp-platform/testing';

const run = promisify(execFile);


describe('npm start (tools/dev/start-stack.mjs)', () => {
  it("serves the guide's Step 8 curls, the client's discovered tools, and stops everything on SIGTERM", async () => {
    const serverPort = await freePort();
    const backendPort = await freePort();
    const emulatorPort = await freePort();
    const clientPort = await freePort();
    const stack = startNodeProcess(path.join(WORKSPACE_ROOT, 'tools/dev/start-stack.mjs'), {
      MCP_SERVER_PORT: String(serverPort),
      SAMPLE_BACKEND_PORT: String(backendPort),
      ENTRA_EMULATOR_PORT: String(emulatorPort),
      MCP_CLIENT_PORT: String(clientPort),
    }, ['--no-build']);
    try {
      await stack.waitForLine(/\[stack\] ready:/, 30_000);
      const base = `http://localhost:${serverPort}`;
      const live = await run('curl', ['-s', '-w', '\n%{http_code}', `${base}/health/live`]);
      expect(live.stdout.split('\n').pop()).toBe('200');
      const ready = await run('curl', ['-s', '-w', '\n%{http_code}', `${base}/health/ready`]);
      expect(ready.stdout.split('\n').pop()).toBe('200');
      const readiness = JSON.parse(ready.stdout.split('\n')[0]);
      expect(readiness.status).toBe('ok');
      // The server's backend token came through workload identity from the emulator.
      expect(readiness.info.token).toMatchObject({ status: 'up', mode: 'workload-identity' });
      const call = await run('curl', [
        '-s',
        '-X',
        'POST',
        `${base}/_mcp/messages`,
        '-H',
        'Content-Type: application/json',
        '-d',
        '{"method":"tools/call","params":{"name":"get_user_profile","arguments":{"user_id":"123"}}}',
      ]);
      expect(JSON.parse(call.stdout).structuredContent).toMatchObject({ id: '123', name: 'Ada Lovelace' });
      // The client discovered the server's tools and serves them, with its own workload identity.
      expect(stack.lines.join('\n')).toMatch(/Discovered 1 tools from http:\/\/localhost:\d+\/mcp: get_user_profile/);
      const viaClient = await run('curl', ['-s', '-X', 'POST', `http://localhost:${clientPort}/tools/get_user_profile/call`, '-H', 'Content-Type: application/json', '-d', '{"user_id":"123"}']);
      expect(JSON.parse(viaClient.stdout).structuredContent).toMatchObject({ id: '123' });
    } finally {
      expect(await stack.stop()).toBe(0);
    }
    await expect(fetch(`http://localhost:${serverPort}/health/live`)).rejects.toThrow();
  });
});
