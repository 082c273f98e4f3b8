// Whether the server's memory stays flat: RSS after the first N calls against RSS after 10 N, with
// the same echo load throughout (N = 100,000; 10,000 with --quick).
import { callOnce, memoryMb, runLoad, SERVER_CORE, startHttpServer, stopProcess } from '../lib/processes.mjs';
import { echo, legacyToolCall } from '../lib/requests.mjs';
import { mcpServerProcess } from './echo.mjs';

export async function memorySection(settings) {
  const first = settings.quick ? 10_000 : 100_000;
  const request = legacyToolCall('echo', echo.args, echo.expect);
  const server = await startHttpServer({ ...mcpServerProcess(), core: SERVER_CORE });
  try {
    const url = `${server.url}/mcp`;
    if (!(await callOnce(url, request))) throw new Error('mcp-server does not answer the benchmark call correctly');
    const load = { url, request, workDir: settings.workDir, connections: settings.connections };
    const early = runLoad({ ...load, amount: first });
    const rssEarly = memoryMb(server.child.pid, 'VmRSS');
    settings.progress(`memory: RSS ${rssEarly.toFixed(0)} MB after ${first.toLocaleString('en')} calls`);
    const late = runLoad({ ...load, amount: first * 9 });
    const rssLate = memoryMb(server.child.pid, 'VmRSS');
    settings.progress(`memory: RSS ${rssLate.toFixed(0)} MB after ${(first * 10).toLocaleString('en')} calls`);
    const growth = (rssLate - rssEarly) / rssEarly;
    const errors = early.errors + late.errors;
    return {
      title: 'memory under sustained echo load',
      columns: [
        ['calls', 'calls made', (value) => value.toLocaleString('en')],
        ['rssMb', 'RSS after them', (value) => `${value.toFixed(0)} MB`],
        ['errors', 'errors'],
      ],
      rows: [
        { calls: early.totalRequests, rssMb: rssEarly, errors: early.errors },
        { calls: early.totalRequests + late.totalRequests, rssMb: rssLate, errors: late.errors },
      ],
      targets: [
        [`RSS after ${(first * 10).toLocaleString('en')} calls within 10% of RSS after ${first.toLocaleString('en')} (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}%)`, Math.abs(growth) <= 0.1],
        ['memory run: zero errors', errors === 0],
      ],
    };
  } finally {
    await stopProcess(server.child);
  }
}
