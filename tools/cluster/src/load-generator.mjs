// Runs inside a pod of the cluster (node -e, in the mcp-client image): sends REQUESTS (a JSON list
// of { method, url, body?, expect }, taken in turn) from CONCURRENCY loops until /tmp/stop exists or
// MAX_SECONDS pass, then prints one JSON line: calls that succeeded, failures by second (with the
// first reasons), and latency percentiles. A call counts as good only with status 200 and its
// `expect` text in the body.
import fs from 'node:fs';

const requests = JSON.parse(process.env.REQUESTS ?? '[]');
const concurrency = Number(process.env.CONCURRENCY ?? 4);
const deadline = Date.now() + Number(process.env.MAX_SECONDS ?? 300) * 1000;
const MAX_LATENCIES = 2_000_000;
const counts = { ok: 0, failed: 0, errors: {}, firstFailures: [], failuresBySecond: {} };
const latencies = [];

const stopped = () => Date.now() > deadline || fs.existsSync('/tmp/stop');
function fail(reason) {
  counts.failed += 1;
  counts.errors[reason] = (counts.errors[reason] ?? 0) + 1;
  const second = Math.floor(Date.now() / 1000);
  counts.failuresBySecond[second] = (counts.failuresBySecond[second] ?? 0) + 1;
  if (counts.firstFailures.length < 10) counts.firstFailures.push({ at: new Date().toISOString(), reason });
}

let turn = 0;
async function loop() {
  while (!stopped()) {
    const { method, url, body, expect } = requests[turn++ % requests.length];
    const started = performance.now();
    try {
      const init = { method, signal: AbortSignal.timeout(15_000), ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body }) };
      const response = await fetch(url, init);
      const text = await response.text();
      if (response.status === 200 && text.includes(expect)) {
        counts.ok += 1;
        if (latencies.length < MAX_LATENCIES) latencies.push(performance.now() - started);
      } else fail(`HTTP ${response.status}: ${text.slice(0, 200).replace(/\d{4,}/g, 'N')}`);
    } catch (error) {
      fail(String(error?.cause?.code ?? error?.name ?? error));
    }
  }
}

const percentile = (sorted, p) => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] * 100) / 100 : null);

process.stdout.write(`${JSON.stringify({ msg: 'load started', requests: requests.length, concurrency })}\n`);
await Promise.all(Array.from({ length: concurrency }, loop));
const sorted = latencies.sort((a, b) => a - b);
process.stdout.write(`${JSON.stringify({ msg: 'load finished', ...counts, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) })}\n`);
