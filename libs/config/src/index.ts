export { declaredVariables, loadConfig, loadConfigOrExit, ConfigError } from './lib/load-config';
export { parseBoolean, parseList, parseLogLevel, parseNumber, PINO_LEVELS, PinoLevel } from './lib/env-parsers';
export { ServiceConfig } from './lib/service-config';
export { basicAuthorization, displayUrl, redactUrlCredentials, withoutCredentials } from './lib/url-credentials';
export { documentedVariables } from './lib/documented-variables';
