import pino from 'pino';
import { loggerOptions } from './logger.options';

describe('loggerOptions', () => {
  const logger = pino({ level: 'silent' });

  it('mounts no pino-http middleware by default: requests are logged by the access log', () => {
    expect(loggerOptions(logger)).toEqual({ pinoHttp: { logger, autoLogging: false }, forRoutes: [] });
  });

  it('keeps a quiet logger per request on every route when asked, for reqId on app log lines', () => {
    expect(loggerOptions(logger, { requestBoundLoggers: true })).toEqual({ pinoHttp: { logger, autoLogging: false, quietReqLogger: true } });
  });
});
