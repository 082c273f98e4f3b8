import Fastify from 'fastify';
import { installClosingGate } from './closing-gate';

describe('installClosingGate', () => {
  it('lets requests through until closing starts, then answers 503 in the given body and closes the connection', async () => {
    const fastify = Fastify({ return503OnClosing: false });
    fastify.get('/call', async () => ({ ok: true }));
    const gate = installClosingGate(fastify, (status, message) => JSON.stringify({ error: `status_${status}`, message }));
    expect((await fastify.inject({ method: 'GET', url: '/call' })).json()).toEqual({ ok: true });
    gate.startClosing();
    const refused = await fastify.inject({ method: 'GET', url: '/call' });
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['connection']).toBe('close');
    expect(refused.json()).toEqual({ error: 'status_503', message: 'the service is shutting down' });
    await fastify.close();
  });
});
