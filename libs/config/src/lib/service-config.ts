import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { parseBoolean, parseLogLevel, parseNumber, PINO_LEVELS, PinoLevel } from './env-parsers';

/**
 * The settings every service reads: where it listens, how much it logs, and its Azure identity
 * (the chart's `azure.*` values). An app's config class extends it with its own variables;
 * `loadConfig` reads the inherited ones too.
 */
export class ServiceConfig {
  @Transform(({ value }) => parseNumber(value, 8000))
  /** 0 picks a free port (tests); the bound port is logged. */
  @IsInt({ message: 'PORT must be an integer between 0 and 65535' })
  @Min(0, { message: 'PORT must be an integer between 0 and 65535' })
  @Max(65535, { message: 'PORT must be an integer between 0 and 65535' })
  PORT!: number;

  @IsOptional()
  @IsString()
  HOST?: string;

  @Transform(({ value }) => parseLogLevel(value))
  @IsIn(PINO_LEVELS, { message: 'LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARNING, ERROR, CRITICAL (any case)' })
  LOG_LEVEL!: PinoLevel;

  @IsOptional()
  @IsString()
  AZURE_CLIENT_ID?: string;

  @Transform(({ value }) => value ?? 'https://login.microsoftonline.com')
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['https'] }, { message: 'AZURE_AUTHORITY_HOST must be an https URL' })
  AZURE_AUTHORITY_HOST!: string;

  /** Set by the workload identity webhook in AKS; selects WorkloadIdentityCredential. */
  @IsOptional()
  @IsString()
  AZURE_FEDERATED_TOKEN_FILE?: string;

  /** Forces a credential instead of choosing by what is configured. */
  @Transform(({ value }) => value ?? 'auto')
  @IsIn(['auto', 'workload-identity', 'developer', 'none'], { message: 'AZURE_CREDENTIAL must be one of auto, workload-identity, developer, none' })
  AZURE_CREDENTIAL!: 'auto' | 'workload-identity' | 'developer' | 'none';

  /** true for an authority that is not a real Entra cloud (the local emulator). */
  @Transform(({ value }) => parseBoolean(value, false))
  @IsBoolean({ message: 'AZURE_DISABLE_INSTANCE_DISCOVERY must be true or false' })
  AZURE_DISABLE_INSTANCE_DISCOVERY!: boolean;
}
