import { basicAuthorization, displayUrl, redactUrlCredentials, withoutCredentials } from './url-credentials';

describe('URL credentials', () => {
  it('show a URL without its userinfo, and leave others as they are', () => {
    expect(displayUrl('http://user:s3cret@backend:8081/api')).toBe('http://backend:8081/api');
    expect(displayUrl(new URL('https://only-user@mcp-server:8000/'))).toBe('https://mcp-server:8000/');
    expect(displayUrl('http://mcp-server:8000/mcp?x=1')).toBe('http://mcp-server:8000/mcp?x=1');
  });

  it('redact what the URL parser cannot read', () => {
    expect(displayUrl('http://user:p@ss word@backend:8081')).not.toContain('ss word');
    expect(displayUrl('not a url at all')).toBe('not a url at all');
  });

  it('remove the userinfo of every URL inside free text, up to the last @ of the authority', () => {
    const message = 'Request cannot be constructed from a URL that includes credentials: http://admin:p@ss@backend:8081/health; retry https://a:b@c/d';
    const redacted = redactUrlCredentials(message);
    expect(redacted).toBe('Request cannot be constructed from a URL that includes credentials: http://backend:8081/health; retry https://c/d');
    expect(redactUrlCredentials('user@example.com wrote')).toBe('user@example.com wrote');
  });

  it('turn the userinfo into a Basic authorization, decoded, for a URL fetch will accept', () => {
    const url = new URL('http://svc%40corp:p%3Ass@backend:8081/api');
    expect(basicAuthorization(url)).toBe(`Basic ${Buffer.from('svc@corp:p:ss').toString('base64')}`);
    expect(withoutCredentials(url).href).toBe('http://backend:8081/api');
    expect(url.username).toBe('svc%40corp');
    expect(basicAuthorization(new URL('http://backend:8081'))).toBeUndefined();
  });
});
