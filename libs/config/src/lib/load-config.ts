import { Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, ValidationError } from 'class-validator';

/** A setting that is missing or malformed; the message names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads a config class from the environment and validates it. Only the variables the class
 * declares are read, so unrelated environment never matters.
 */
export function loadConfig<T extends object>(configClass: Type<T>, env: NodeJS.ProcessEnv): T {
  // Every declared variable is passed, set or not, so the parsers that supply defaults run for it.
  const declared = declaredVariables(configClass);
  const raw = Object.fromEntries(declared.map((name) => [name, env[name]]));
  const config = plainToInstance(configClass, raw);
  // class-validator reports a subclass's own variables before the inherited ones: name them in declaration order instead.
  const errors = validateSync(config, { whitelist: true, forbidUnknownValues: true }).sort((a, b) => declared.indexOf(a.property) - declared.indexOf(b.property));
  if (errors.length > 0) throw new ConfigError(`Invalid configuration: ${errors.map(describe).join('; ')}`);
  return config;
}

/** The variables a config class validates, in declaration order: those it inherits first, then its own. */
export function declaredVariables(configClass: Type<object>): string[] {
  const lineage: Type<object>[] = [];
  for (let type: unknown = configClass; typeof type === 'function' && type !== Function.prototype; type = Object.getPrototypeOf(type)) lineage.unshift(type as Type<object>);
  const names = new Set<string>();
  for (const type of lineage) {
    for (const meta of getMetadataStorage().getTargetValidationMetadatas(type, '', true, false)) names.add(meta.propertyName);
  }
  return [...names];
}

function describe(error: ValidationError): string {
  const messages = [...new Set(Object.values(error.constraints ?? {}))];
  return messages.length > 0 ? messages.join(', ') : `${error.property} is invalid`;
}

/** For a `main.ts`: the config, or one line on stderr naming what is wrong and exit code 1. */
export function loadConfigOrExit<T extends object>(configClass: Type<T>, env: NodeJS.ProcessEnv): T {
  try {
    return loadConfig(configClass, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
