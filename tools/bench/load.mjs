// The load generator, run as its own process (pinned to its own core by the benchmark): drives one
// server with autocannon and checks every response body. Prints one JSON line with the result.
// argv: url, a JSON file with { headers, body, expect, method? }, duration=S or amount=N, connections.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { percentile } from './lib/percentile.mjs';

const [url, requestFile, limit, connections] = process.argv.slice(2);
const { headers, body, expect, method = 'POST' } = JSON.parse(readFileSync(requestFile, 'utf8'));
const [limitKind, limitValue] = limit.split('=');
let wrongBodies = 0;
// Every 2xx latency as measured (ms, from hrtime): autocannon's own percentiles come from a
// histogram of whole milliseconds, too coarse for "adds under 2 ms" when a call takes 2-4 ms.
const latencies = [];

const instance = autocannon({
  url,
  method,
  headers,
  body,
  ...(limitKind === 'amount' ? { amount: Number(limitValue) } : { duration: Number(limitValue) }),
  connections: Number(connections),
  pipelining: 1,
  // Every response is checked, not just its status: a fast wrong answer must not count.
  verifyBody: (text) => {
    const ok = text.includes(expect);
    if (!ok) wrongBodies += 1;
    return ok;
  },
});
instance.on('response', (_client, statusCode, _bytes, responseTime) => {
  if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
});
const result = await instance;
const sorted = Float64Array.from(latencies).sort();

process.stdout.write(
  `${JSON.stringify({
    requestsPerSecond: result.requests.average,
    totalRequests: result.requests.total,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    errors: result.errors + result.timeouts + result.non2xx + wrongBodies,
    non2xx: result.non2xx,
    wrongBodies,
  })}\n`,
);
