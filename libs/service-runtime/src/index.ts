export { createLoggers, ProcessLoggers, REDACTED_PATHS } from './lib/loggers';
export { loggerOptions, LoggerModuleOptions } from './lib/logger.options';
export { requestIdFor } from './lib/request-id';
export { accessLogLevel, logWhenClosed } from './lib/access-log';
export { installRequestLogging } from './lib/request-logging';
export { installGracefulShutdown } from './lib/graceful-shutdown';
export { MetricsModule } from './lib/metrics.module';
export { CallSeries, getOrCreateMetric } from './lib/call-series';
export { azureAuthOptions } from './lib/azure-auth-options';
