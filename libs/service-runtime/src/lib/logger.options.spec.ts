import pino from 'pino';
import { loggerOptions } from './logger.options';

describe('loggerOptions', () => {
  const logger = pino({ level: 'silent' });

  it('mounts no pino-http middleware: requests are logged by the access log', () => {
    expect(loggerOptions(logger)).toEqual({ pinoHttp: { logger, autoLogging: false }, forRoutes: [] });
  });
});
