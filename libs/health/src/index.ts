export { HealthModule } from './lib/health.module';
export { HealthModuleOptions } from './lib/health.options';
export { BackendApiHealthIndicator } from './lib/backend-api.health';
export { TokenHealthIndicator } from './lib/token.health';
export { describeError } from './lib/describe-error';
