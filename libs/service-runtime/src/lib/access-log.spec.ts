import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { accessLogLevel, loggablePath, logWhenClosed, MAX_LOGGED_FIELD_CHARS } from './access-log';

describe('accessLogLevel', () => {
  it.each([
    [200, '/tools', 10, 'debug'],
    [200, '/mcp', 1_500, 'info'],
    [404, '/nowhere', 10, 'info'],
    [499, '/mcp', 10, 'info'],
    [200, '/health/live', 10, 'debug'],
    [200, '/health/live', 5_000, 'debug'],
    [503, '/health/ready', 10, 'error'],
    [200, '/health/ready?verbose=1', 10, 'debug'],
    [200, '/metrics', 10, 'debug'],
    [500, '/mcp', 10, 'error'],
    [502, '/tools/x/call', 10, 'error'],
    [200, '/healthz', 10, 'debug'],
  ])('status %i on %s after %i ms logs at %s', (statusCode, url, durationMs, level) => {
    expect(accessLogLevel(statusCode, url, durationMs)).toBe(level);
  });
});

describe('logWhenClosed', () => {
  function fakeLogger(enabled: boolean) {
    const calls: { level: string; fields: Record<string, unknown>; msg: string }[] = [];
    const write = (level: string) => (fields: Record<string, unknown>, msg: string) => calls.push({ level, fields, msg });
    const logger = { isLevelEnabled: () => enabled, info: write('info'), debug: write('debug'), error: write('error') } as unknown as Logger;
    return { logger, calls };
  }

  function exchange(url: string, statusCode: number) {
    const req = { url, method: 'POST', headers: { 'user-agent': 'jest', authorization: 'Bearer secret' } } as unknown as IncomingMessage;
    const res = Object.assign(new EventEmitter(), { statusCode, writableFinished: true }) as unknown as ServerResponse;
    return { req, res };
  }

  it('writes one line when the response closes, with the id and without headers', () => {
    const { logger, calls } = fakeLogger(true);
    const { req, res } = exchange('/mcp', 200);
    logWhenClosed(logger, req, res, 'req-1');
    expect(calls).toHaveLength(0);
    res.emit('close');
    res.emit('close');
    expect(calls).toEqual([
      {
        level: 'debug',
        msg: 'request completed',
        fields: { req: { id: 'req-1', method: 'POST', url: '/mcp', userAgent: 'jest' }, res: { statusCode: 200, finished: true }, responseTime: expect.any(Number) },
      },
    ]);
    expect(JSON.stringify(calls)).not.toContain('secret');
  });

  it('logs a server error at error', () => {
    const { logger, calls } = fakeLogger(true);
    const { req, res } = exchange('/health/ready', 503);
    logWhenClosed(logger, req, res, 'req-2');
    res.emit('close');
    expect(calls.map((call) => call.level)).toEqual(['error']);
  });

  it('builds no line when the level is off', () => {
    const { logger, calls } = fakeLogger(false);
    const { req, res } = exchange('/health/live', 200);
    logWhenClosed(logger, req, res, 'req-3');
    res.emit('close');
    expect(calls).toHaveLength(0);
  });
});

describe('loggablePath', () => {
  it('keeps the path and drops the query string, which may carry a token', () => {
    expect(loggablePath('/tools?access_token=eyJhbGciOi.secret')).toBe('/tools?[redacted]');
    expect(loggablePath('/mcp')).toBe('/mcp');
    expect(loggablePath('/health/ready?')).toBe('/health/ready?[redacted]');
  });

  it('caps a long path and says how much was left out', () => {
    const logged = loggablePath(`/${'a'.repeat(10_000)}`);
    expect(logged.length).toBeLessThan(MAX_LOGGED_FIELD_CHARS + 20);
    expect(logged).toMatch(/…\[9745 more\]$/);
  });
});
