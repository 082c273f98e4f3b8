import type { IncomingMessage } from 'node:http';
import { checkHost, hostAllowListCheck } from './host-allow-list';

const request = (headers: Record<string, string>) => ({ headers, rawHeaders: Object.entries(headers).flat() }) as unknown as IncomingMessage;

describe('hostAllowListCheck', () => {
  const check = hostAllowListCheck(['localhost', '[::1]', 'mcp-client'], ['app.contoso.example']);

  it.each([
    ['an allowed Host with a port', { host: 'localhost:8000' }],
    ['an allowed IPv6 Host', { host: '[::1]:8000' }],
    ['a Service name', { host: 'mcp-client' }],
    ['an allowed Origin', { host: 'mcp-client:8000', origin: 'https://app.contoso.example' }],
  ])('lets %s through', (_label, headers) => {
    expect(check(request(headers))).toBeUndefined();
  });

  it.each([
    ['no Host', {}, { status: 400, message: 'Bad Request: missing Host header' }],
    ['a foreign Host', { host: 'evil.example:8000' }, { status: 403, message: 'Forbidden: Host evil.example is not allowed' }],
    ['a Host with userinfo', { host: 'evil@localhost:8000' }, { status: 400, message: 'Bad Request: malformed Host header "evil@localhost:8000"' }],
    ['a foreign Origin', { host: 'localhost', origin: 'http://evil.example' }, { status: 403, message: 'Invalid Origin: evil.example' }],
    ['the opaque null Origin', { host: 'localhost', origin: 'null' }, { status: 403, message: expect.stringContaining('Origin') }],
  ])('refuses %s, saying why', (_label, headers, refusal) => {
    expect(check(request(headers))).toEqual(refusal);
  });

  it('checks Origin against the allowed hosts when no origins are given', () => {
    const hostsOnly = hostAllowListCheck(['localhost']);
    expect(hostsOnly(request({ host: 'localhost', origin: 'http://localhost:3000' }))).toBeUndefined();
    expect(hostsOnly(request({ host: 'localhost', origin: 'http://app.contoso.example' }))).toBeDefined();
  });
});

const allowed = new Set(['localhost', '127.0.0.1', '[::1]', 'mcp-server']);

/** What checkHost reads of a request: the parsed Host and the raw header list. */
function requestWithHosts(...hosts: string[]): IncomingMessage {
  return { headers: hosts.length > 0 ? { host: hosts[0] } : {}, rawHeaders: hosts.flatMap((host) => ['Host', host]) } as unknown as IncomingMessage;
}

describe('checkHost', () => {
  it.each([
    ['localhost', 'localhost'],
    ['localhost:8000', 'localhost'],
    ['LocalHost:8000', 'localhost'],
    ['127.0.0.1:65535', '127.0.0.1'],
    ['[::1]:8000', '[::1]'],
    ['[::1]', '[::1]'],
    ['mcp-server', 'mcp-server'],
  ])('lets %p in (as %p)', (host) => {
    expect(checkHost(requestWithHosts(host), allowed)).toBeUndefined();
  });

  it.each([
    ['evil@localhost:8000', 400],
    ['user:pw@localhost', 400],
    ['localhost/x', 400],
    ['localhost:8000#', 400],
    ['localhost:8000?a', 400],
    ['localhost\\x', 400],
    ['localhost:80:80', 400],
    ['localhost:', 400],
    ['localhost:123456', 400],
    [' localhost', 400],
    ['-localhost', 400],
    ['[::1', 400],
    ['', 400],
    ['evil.example', 403],
    ['evil.example:8000', 403],
    ['localhost.evil.example', 403],
    ['[::2]:8000', 403],
  ])('refuses %p with %i', (host, status) => {
    expect(checkHost(requestWithHosts(host), allowed)).toMatchObject({ status });
  });

  it('refuses a missing Host with 400', () => {
    expect(checkHost(requestWithHosts(), allowed)).toMatchObject({ status: 400, message: 'Bad Request: missing Host header' });
  });

  it('refuses two Host headers with 400, whichever comes first', () => {
    expect(checkHost(requestWithHosts('localhost', 'evil.example'), allowed)).toMatchObject({ status: 400, message: 'Bad Request: more than one Host header' });
    expect(checkHost(requestWithHosts('localhost', 'localhost'), allowed)).toMatchObject({ status: 400 });
  });
});
