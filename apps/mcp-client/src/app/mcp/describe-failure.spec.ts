import { describeFailure } from './describe-failure';

describe('describeFailure', () => {
  it("follows fetch's cause chain to the socket error code", () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const fetchFailed = new TypeError('fetch failed', { cause: refused });
    const sdk = new Error('Version negotiation probe failed: fetch failed', { cause: fetchFailed });
    expect(describeFailure(sdk)).toBe('Version negotiation probe failed: fetch failed: ECONNREFUSED');
  });

  it('adds an HTTP status the message does not state', () => {
    expect(describeFailure(Object.assign(new Error('Error POSTing to endpoint: '), { status: 404 }))).toBe('Error POSTing to endpoint (HTTP 404)');
    expect(describeFailure(Object.assign(new Error('the server answered with HTTP 503'), { status: 503 }))).toBe('the server answered with HTTP 503');
  });

  it('keeps an AADSTS reason from the token cache whole', () => {
    const error = new Error('no token for api://mcp-server/.default: AADSTS700213: No matching federated identity record found');
    expect(describeFailure(error)).toBe(error.message);
  });

  it('describes what is not an error', () => {
    expect(describeFailure('boom')).toBe('boom');
  });
});
