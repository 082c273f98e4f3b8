// The load generator, run as its own process (pinned to its own core by the benchmark): drives one
// server with autocannon and checks every response body. Prints one JSON line with the result.
// argv: url, a JSON file with { headers, body, expect, method? }, duration=S or amount=N, connections.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const [url, requestFile, limit, connections] = process.argv.slice(2);
const { headers, body, expect, method = 'POST' } = JSON.parse(readFileSync(requestFile, 'utf8'));
const [limitKind, limitValue] = limit.split('=');
let wrongBodies = 0;

const result = await autocannon({
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
