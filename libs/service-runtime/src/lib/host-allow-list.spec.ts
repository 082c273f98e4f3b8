import type { IncomingMessage } from 'node:http';
import { hostAllowListCheck } from './host-allow-list';

const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

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
    ['no Host', {}, 'Missing Host header'],
    ['a foreign Host', { host: 'evil.example:8000' }, 'Invalid Host: evil.example'],
    ['a foreign Origin', { host: 'localhost', origin: 'http://evil.example' }, 'Invalid Origin: evil.example'],
    ['the opaque null Origin', { host: 'localhost', origin: 'null' }, expect.stringContaining('Origin')],
  ])('refuses %s, saying why', (_label, headers, reason) => {
    expect(check(request(headers))).toEqual(reason);
  });

  it('checks Origin against the allowed hosts when no origins are given', () => {
    const hostsOnly = hostAllowListCheck(['localhost']);
    expect(hostsOnly(request({ host: 'localhost', origin: 'http://localhost:3000' }))).toBeUndefined();
    expect(hostsOnly(request({ host: 'localhost', origin: 'http://app.contoso.example' }))).toBeDefined();
  });
});
