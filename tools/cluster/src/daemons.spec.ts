import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The pid bookkeeping of the cluster's host processes, with real processes (sleep).
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-daemons-'));
process.env.MCP_CLUSTER_STATE_DIR = stateDir;
const { runningPid, startDaemon, stopDaemon, waitFor } = await import('./daemons.mjs');
const { dirs } = await import('./layout.mjs');

describe('host daemons', () => {
  afterAll(async () => {
    await stopDaemon('sleeper', 1000);
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('starts a process once, finds it by its pid file, and stops it by that pid', async () => {
    const pid = startDaemon({ name: 'sleeper', command: '/bin/sleep', args: ['30'] });
    expect(runningPid('sleeper')).toBe(pid);
    expect(startDaemon({ name: 'sleeper', command: '/bin/sleep', args: ['30'] })).toBe(pid);
    expect(await stopDaemon('sleeper', 2000)).toBe(true);
    expect(runningPid('sleeper')).toBeUndefined();
    // Gone, or a zombie until this test process (its parent) reaps it.
    let state = 'gone';
    try {
      state = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] ?? 'gone';
    } catch {
      // reaped already
    }
    expect(['gone', 'Z']).toContain(state);
    expect(fs.existsSync(path.join(dirs.pids, 'sleeper.pid'))).toBe(false);
  });

  it('does not take a recycled pid for its process', () => {
    fs.mkdirSync(dirs.pids, { recursive: true });
    // This test process's pid, recorded as if it were an etcd that started at another time.
    fs.writeFileSync(path.join(dirs.pids, 'etcd.pid'), `${process.pid} 12345\n`);
    expect(runningPid('etcd')).toBeUndefined();
  });

  it('appends what a daemon prints to its log', async () => {
    startDaemon({ name: 'echoer', command: '/bin/sh', args: ['-c', 'echo started-once'] });
    const log = path.join(dirs.logs, 'echoer.log');
    await waitFor('the log line', () => fs.existsSync(log) && fs.readFileSync(log, 'utf8').includes('started-once'), { timeoutMs: 5000 });
  });

  it('says what it waited for when time runs out, and where the log is', async () => {
    await expect(waitFor('the moon', () => false, { timeoutMs: 200, log: '/tmp/moon.log' })).rejects.toThrow('timed out waiting for the moon (see /tmp/moon.log)');
  });
});
