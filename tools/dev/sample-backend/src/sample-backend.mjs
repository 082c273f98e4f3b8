// A stand-in for the backend API the MCP server calls: a few known users, a health URL, and test
// controls to make it fail. Local development and tests only; never shipped in an image.
import http from 'node:http';
import { createRemoteJWKSet, jwtVerify } from 'jose';

export const SAMPLE_USERS = {
  123: { id: '123', name: 'Ada Lovelace', email: 'ada@example.com', department: 'Engineering' },
  456: { id: '456', name: 'Grace Hopper', email: 'grace@example.com', department: 'Research' },
  789: { id: '789', name: 'Alan Turing', email: 'alan@example.com', department: 'Cryptography' },
};

/**
 * @typedef {{ mode: 'ok' | 'error' | 'stall' | 'huge', statusCode?: number, delayMs?: number, bytes?: number }} Faults
 * @typedef {{ jwksUri: string, issuer: string, audience: string }} BackendAuth
 * @typedef {{ port?: number, host?: string, log?: (line: object) => void, auth?: BackendAuth }} SampleBackendOptions
 */

/** Bearer verification as a real Entra-protected API does it: signature, issuer, audience, expiry. */
function createTokenCheck(/** @type {BackendAuth} */ auth) {
  const jwks = createRemoteJWKSet(new URL(auth.jwksUri));
  return async (/** @type {string | undefined} */ header) => {
    const match = /^Bearer ([^\s]+)$/.exec(header ?? '');
    if (!match) return { ok: false, reason: 'no bearer token' };
    try {
      const { payload } = await jwtVerify(match[1], jwks, { issuer: auth.issuer, audience: auth.audience, algorithms: ['RS256'] });
      return { ok: true, clientId: payload.azp ?? payload.appid };
    } catch (error) {
      return { ok: false, reason: /** @type {Error} */ (error).code ?? 'invalid token' };
    }
  };
}

/** Starts the backend; resolves once it listens. `faults` can be changed by tests through `POST /_control/faults`. */
export async function startSampleBackend(/** @type {SampleBackendOptions} */ options = {}) {
  const log = options.log ?? ((line) => process.stdout.write(`${JSON.stringify(line)}\n`));
  /** @type {Faults} */
  let faults = { mode: 'ok' };
  // inFlight: requests whose connection is still open and unanswered; it drops when a caller (the MCP server) aborts one.
  const seen = { requests: 0, inFlight: 0, withToken: 0, validTokens: 0, rejected: 0, paths: /** @type {string[]} */ ([]) };
  const checkToken = options.auth ? createTokenCheck(options.auth) : undefined;

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://backend.local');
    if (url.pathname.startsWith('/_control/') && !fromThisHost(req)) return send(res, 403, { error: 'control endpoints answer clients on this host only' });
    if (url.pathname === '/_control/faults' && req.method === 'POST') {
      faults = JSON.parse((await readBody(req)) || '{"mode":"ok"}');
      return send(res, 200, { faults });
    }
    if (url.pathname === '/_control/seen' && req.method === 'GET') return send(res, 200, seen);
    seen.requests += 1;
    seen.inFlight += 1;
    if (req.headers.authorization) seen.withToken += 1;
    seen.paths.push(req.url ?? '');
    if (seen.paths.length > 1000) seen.paths.shift();
    log({ msg: 'request', method: req.method, path: url.pathname, bearer: Boolean(req.headers.authorization) });
    res.once('close', () => {
      seen.inFlight -= 1;
      if (!res.writableFinished) log({ msg: 'request abandoned', method: req.method, path: url.pathname });
    });

    if (checkToken && url.pathname !== '/health') {
      const verdict = await checkToken(req.headers.authorization);
      if (!verdict.ok) {
        seen.rejected += 1;
        res.setHeader('www-authenticate', `Bearer error="invalid_token", error_description="${verdict.reason}"`);
        return send(res, 401, { error: 'unauthorized', reason: verdict.reason });
      }
      seen.validTokens += 1;
    }
    if (faults.mode === 'stall') await new Promise((resolve) => setTimeout(resolve, faults.delayMs ?? 60_000).unref());
    if (faults.mode === 'error') return send(res, faults.statusCode ?? 500, { error: 'injected failure' });
    if (faults.mode === 'huge') return send(res, 200, { id: '123', name: 'x'.repeat(faults.bytes ?? 2_000_000) });
    if (req.method !== 'GET') return send(res, 405, { error: 'method not allowed' });
    if (url.pathname === '/health') return send(res, 200, { status: 'ok' });
    const match = /^\/users\/([^/]+)$/.exec(url.pathname);
    if (match) {
      const user = SAMPLE_USERS[/** @type {keyof typeof SAMPLE_USERS} */ (decodeURIComponent(match[1]))];
      return user ? send(res, 200, user) : send(res, 404, { error: `user ${match[1]} not found` });
    }
    return send(res, 404, { error: 'not found' });
  });
  server.keepAliveTimeout = 65_000;

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    port: address.port,
    url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`,
    seen,
    setFaults: (/** @type {Faults} */ next) => (faults = next),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections();
      }),
  };
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
/** Loopback, or an address of this host itself (a cluster's bridge): never a pod or another machine. */
function fromThisHost(/** @type {import('node:http').IncomingMessage} */ req) {
  const remote = req.socket.remoteAddress ?? '';
  return LOOPBACK.has(remote) || remote === req.socket.localAddress;
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}
