// Runs inside a pod of the cluster (node -e, in the mcp-client image): calls one URL with POST from
// CONCURRENCY loops until /tmp/stop exists or MAX_SECONDS pass, then prints one JSON line with the
// counts. A call counts as good only with status 200 and EXPECT in its body.
import fs from 'node:fs';

const url = process.env.URL;
const body = process.env.BODY ?? '{}';
const expected = process.env.EXPECT ?? '';
const concurrency = Number(process.env.CONCURRENCY ?? 4);
const deadline = Date.now() + Number(process.env.MAX_SECONDS ?? 300) * 1000;
const counts = { ok: 0, failed: 0, errors: {}, firstFailures: [] };

const stopped = () => Date.now() > deadline || fs.existsSync('/tmp/stop');
function fail(reason) {
  counts.failed += 1;
  counts.errors[reason] = (counts.errors[reason] ?? 0) + 1;
  if (counts.firstFailures.length < 10) counts.firstFailures.push({ at: new Date().toISOString(), reason });
}

async function loop() {
  while (!stopped()) {
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(10_000) });
      const text = await response.text();
      if (response.status === 200 && text.includes(expected)) counts.ok += 1;
      else fail(`HTTP ${response.status}: ${text.slice(0, 200)}`);
    } catch (error) {
      fail(String(error?.cause?.code ?? error?.name ?? error));
    }
  }
}

process.stdout.write(`${JSON.stringify({ msg: 'load started', url, concurrency })}\n`);
await Promise.all(Array.from({ length: concurrency }, loop));
process.stdout.write(`${JSON.stringify({ msg: 'load finished', ...counts })}\n`);
