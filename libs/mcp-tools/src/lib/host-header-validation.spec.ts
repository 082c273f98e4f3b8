import type { IncomingMessage } from 'node:http';
import { checkHost } from './host-header-validation';

const allowed = new Set(['localhost', '127.0.0.1', '[::1]', 'mcp-server']);

/** What checkHost reads of a request: the parsed Host and the raw header list. */
function request(...hosts: string[]): IncomingMessage {
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
  ])('lets %p in as %p', (host, hostname) => {
    expect(checkHost(request(host), allowed)).toEqual({ ok: true, hostname });
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
    expect(checkHost(request(host), allowed)).toMatchObject({ ok: false, status });
  });

  it('refuses a missing Host with 400', () => {
    expect(checkHost(request(), allowed)).toMatchObject({ ok: false, status: 400, message: 'Bad Request: missing Host header' });
  });

  it('refuses two Host headers with 400, whichever comes first', () => {
    expect(checkHost(request('localhost', 'evil.example'), allowed)).toMatchObject({ ok: false, status: 400, message: 'Bad Request: more than one Host header' });
    expect(checkHost(request('localhost', 'localhost'), allowed)).toMatchObject({ ok: false, status: 400 });
  });
});
