import type { IncomingMessage } from 'node:http';
import { requestIdFor } from './request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function requestWith(headers: IncomingMessage['headers']): IncomingMessage {
  return { headers } as IncomingMessage;
}

describe('requestIdFor', () => {
  it.each(['facade-1', 'a1B2.c3_d4:e5-f6', 'x'.repeat(128)])('keeps a sane caller id %s', (id) => {
    expect(requestIdFor(requestWith({ 'x-request-id': id }))).toBe(id);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['too long', 'x'.repeat(129)],
    ['with a space', 'two words'],
    ['with a newline (log injection)', 'id\n{"level":60}'],
    ['with a slash', '../etc'],
    ['repeated', ['one', 'two']],
  ])('replaces a %s id with a new UUID', (_case, incoming) => {
    const id = requestIdFor(requestWith(incoming === undefined ? {} : { 'x-request-id': incoming }));
    expect(id).toMatch(UUID);
  });

  it('gives each request without an id its own', () => {
    expect(requestIdFor(requestWith({}))).not.toBe(requestIdFor(requestWith({})));
  });

  it('writes the id it chose back into the request headers, where the MCP handler reads it', () => {
    const req = requestWith({ 'x-request-id': 'bad id' });
    const id = requestIdFor(req);
    expect(req.headers['x-request-id']).toBe(id);
  });
});
