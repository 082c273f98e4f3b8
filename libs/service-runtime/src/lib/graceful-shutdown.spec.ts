import Fastify, { FastifyInstance } from 'fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import { Client } from 'undici';
import { connect } from 'node:net';
import { drainGracefully } from './graceful-shutdown';
import { ServerConnections } from './server-connections';

// drainGracefully against a real Fastify server and an undici keep-alive client: the connection a
// client already holds keeps working through the drain, and is let go rather than cut.

async function startService(): Promise<{ fastify: FastifyInstance; app: NestFastifyApplication; origin: string; closed: () => boolean }> {
  const fastify = Fastify({ forceCloseConnections: 'idle', return503OnClosing: true });
  fastify.get('/call', async () => ({ ok: true }));
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  let nestClosed = false;
  // What drainGracefully uses of a Nest application: its Fastify instance, and close().
  const app = {
    getHttpAdapter: () => ({ getInstance: () => fastify }),
    close: async () => {
      nestClosed = true;
    },
  } as unknown as NestFastifyApplication;
  return { fastify, app, origin: `http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}`, closed: () => nestClosed };
}

describe('drainGracefully', () => {
  it('answers requests on a held keep-alive connection during the drain, with Connection: close', async () => {
    const { app, origin, closed } = await startService();
    const client = new Client(origin, { keepAliveTimeout: 60_000 });
    try {
      expect((await client.request({ method: 'GET', path: '/call' })).statusCode).toBe(200);
      const draining = drainGracefully(app, {}, 5_000);
      // The connection is idle when the drain starts; a server that closed idle connections at
      // once would cut this request (UND_ERR_SOCKET) or answer it 503.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const answer = await client.request({ method: 'GET', path: '/call' });
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['connection']).toBe('close');
      expect(await answer.body.json()).toEqual({ ok: true });
      await draining;
      expect(closed()).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('refuses a new connection during the drain', async () => {
    const { app, origin } = await startService();
    const holder = new Client(origin, { keepAliveTimeout: 60_000 });
    try {
      await (await holder.request({ method: 'GET', path: '/call' })).body.dump();
      const draining = drainGracefully(app, {}, 1_000);
      const newcomer = new Client(origin);
      await expect(newcomer.request({ method: 'GET', path: '/call' })).rejects.toThrow();
      await newcomer.close();
      await draining;
    } finally {
      await holder.close();
    }
  });

  it('finishes as soon as the clients have gone, without waiting out the grace', async () => {
    const { app, origin } = await startService();
    const client = new Client(origin);
    await (await client.request({ method: 'GET', path: '/call' })).body.dump();
    const started = Date.now();
    const draining = drainGracefully(app, {}, 10_000);
    await client.close();
    await draining;
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('closes what a client still holds idle once the grace has passed', async () => {
    const { app, origin, fastify } = await startService();
    const client = new Client(origin, { keepAliveTimeout: 60_000 });
    try {
      await (await client.request({ method: 'GET', path: '/call' })).body.dump();
      const started = Date.now();
      await drainGracefully(app, {}, 300);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect(fastify.server.listening).toBe(false);
    } finally {
      await client.close();
    }
  });

  it('runs onDrainStart at once, and onClosing only after the grace, when Fastify starts refusing requests too', async () => {
    const { app, origin } = await startService();
    const client = new Client(origin, { keepAliveTimeout: 60_000 });
    try {
      await (await client.request({ method: 'GET', path: '/call' })).body.dump();
      const started = Date.now();
      let onDrainStartAfterMs = -1;
      let onClosingAfterMs = -1;
      await drainGracefully(app, { onDrainStart: () => (onDrainStartAfterMs = Date.now() - started), onClosing: () => (onClosingAfterMs = Date.now() - started) }, 300);
      expect(onDrainStartAfterMs).toBeLessThan(100);
      expect(onClosingAfterMs).toBeGreaterThanOrEqual(300);
    } finally {
      await client.close();
    }
  });
});

describe('drainGracefully with a request that stalls on the way in', () => {
  // Expect: 100-continue: the server says so once the request is dispatched, so the test knows it has arrived.
  const halfSent: Array<[string, string, boolean]> = [
    ['headers and part of a body', 'POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n', true],
    ['part of the headers', 'POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: appl', false],
  ];

  it.each(halfSent)('cuts a request that sent %s once the grace has passed, instead of waiting for the rest', async (_label, head, continues) => {
    const fastify = Fastify({ forceCloseConnections: 'idle' });
    fastify.post('/upload', async (request) => ({ received: request.body }));
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    const app = { getHttpAdapter: () => ({ getInstance: () => fastify }), close: async () => undefined } as unknown as NestFastifyApplication;
    const connections = new ServerConnections(fastify.server);
    const socket = connect((fastify.server.address() as AddressInfo).port, '127.0.0.1');
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(head);
    if (continues) {
      await new Promise((resolve) => socket.once('data', resolve));
      socket.write('{"half":');
    }
    await drainGracefully(app, {}, 200, connections);
    await closed;
    expect(fastify.server.listening).toBe(false);
  });
});
