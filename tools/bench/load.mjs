// The load generator, run as its own process (pinned to its own core by run-bench.mjs): drives one
// server with autocannon and checks every response body. Prints one JSON line with the result.
// argv: url, a JSON file with { headers, body, expect }, duration seconds, connections.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const [url, requestFile, duration, connections] = process.argv.slice(2);
const { headers, body, expect } = JSON.parse(readFileSync(requestFile, 'utf8'));
let wrongBodies = 0;

const result = await autocannon({
  url,
  method: 'POST',
  headers,
  body,
  duration: Number(duration),
  connections: Number(connections),
  pipelining: 1,
  // Every response is checked, not just its status: a fast wrong answer must not count.
  verifyBody: (text) => {
    const ok = text.includes(expect);
    if (!ok) wrongBodies += 1;
    return ok;
  },
});

process.stdout.write(
  `${JSON.stringify({
    requestsPerSecond: result.requests.average,
    totalRequests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx + wrongBodies,
    non2xx: result.non2xx,
    wrongBodies,
  })}\n`,
);
