import { normalizeMcpServerUrl } from './mcp-server-url';

describe('normalizeMcpServerUrl', () => {
  it.each([
    ['http://mcp-server:8000', 'http://mcp-server:8000/mcp'],
    ['http://mcp-server:8000/', 'http://mcp-server:8000/mcp'],
    ['  http://localhost:8000  ', 'http://localhost:8000/mcp'],
    ['https://tools.example.com?tenant=a', 'https://tools.example.com/mcp?tenant=a'],
  ])('appends /mcp to the base URL %p', (given, expected) => {
    expect(normalizeMcpServerUrl(given)).toBe(expected);
  });

  it.each([
    ['http://mcp-server:8000/mcp', 'http://mcp-server:8000/mcp'],
    ['http://gateway:8080/teams/a/mcp/', 'http://gateway:8080/teams/a/mcp/'],
    ['http://127.0.0.1:9000/custom', 'http://127.0.0.1:9000/custom'],
  ])('keeps the path of %p', (given, expected) => {
    expect(normalizeMcpServerUrl(given)).toBe(expected);
  });

  it('returns what is not a URL unchanged, for the validator to name', () => {
    expect(normalizeMcpServerUrl('mcp-server:8000')).toBe('mcp-server:8000');
    expect(normalizeMcpServerUrl('not a url')).toBe('not a url');
    expect(normalizeMcpServerUrl(undefined)).toBeUndefined();
  });
});
