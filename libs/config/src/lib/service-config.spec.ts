import { IsOptional, IsPositive, IsString } from 'class-validator';
import { Transform } from 'class-transformer';
import { ConfigError, loadConfig } from './load-config';
import { parseNumber } from './env-parsers';
import { ServiceConfig } from './service-config';

class AppConfig extends ServiceConfig {
  @Transform(({ value }) => parseNumber(value, 30))
  @IsPositive({ message: 'SHUTDOWN_TIMEOUT must be a positive number of seconds' })
  SHUTDOWN_TIMEOUT!: number;

  @IsOptional()
  @IsString()
  EXTRA?: string;
}

describe('ServiceConfig, extended by an app config', () => {
  it('applies the inherited defaults along with the app config own', () => {
    expect(loadConfig(AppConfig, {})).toEqual(
      Object.assign(new AppConfig(), {
        PORT: 8000,
        HOST: undefined,
        LOG_LEVEL: 'info',
        AZURE_CLIENT_ID: undefined,
        AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.com',
        AZURE_FEDERATED_TOKEN_FILE: undefined,
        AZURE_CREDENTIAL: 'auto',
        AZURE_DISABLE_INSTANCE_DISCOVERY: false,
        SHUTDOWN_TIMEOUT: 30,
        EXTRA: undefined,
      }),
    );
  });

  it('reads the inherited variables from the environment', () => {
    const config = loadConfig(AppConfig, { PORT: '0', LOG_LEVEL: 'WARNING', AZURE_CREDENTIAL: 'none', AZURE_DISABLE_INSTANCE_DISCOVERY: 'true', EXTRA: 'x' });
    expect(config).toMatchObject({ PORT: 0, LOG_LEVEL: 'warn', AZURE_CREDENTIAL: 'none', AZURE_DISABLE_INSTANCE_DISCOVERY: true, EXTRA: 'x' });
  });

  it('validates the inherited variables', () => {
    expect(() => loadConfig(AppConfig, { PORT: '70000', AZURE_AUTHORITY_HOST: 'http://login.example' })).toThrow(ConfigError);
    expect(() => loadConfig(AppConfig, { PORT: '70000', AZURE_AUTHORITY_HOST: 'http://login.example' })).toThrow(
      /PORT must be .*; AZURE_AUTHORITY_HOST must be an https URL/,
    );
    expect(() => loadConfig(AppConfig, { AZURE_CREDENTIAL: 'managed' })).toThrow(/AZURE_CREDENTIAL must be one of/);
  });

  it('names the malformed variables in declaration order, the inherited ones first', () => {
    expect(() => loadConfig(AppConfig, { SHUTDOWN_TIMEOUT: '-1', PORT: 'x' })).toThrow(
      'Invalid configuration: PORT must be an integer between 0 and 65535; SHUTDOWN_TIMEOUT must be a positive number of seconds',
    );
  });
});
