import { GeneratorOptionError } from './generator-option-error';

/** A DNS label: app, chart and environment names end up in paths, object and release names. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Helm release names are limited to 53 characters. */
const MAX_LENGTH = 53;

export function checkDnsLabel(option: string, value: string, example: string): string {
  if (!DNS_LABEL.test(value) || value.length > MAX_LENGTH) {
    throw new GeneratorOptionError(`--${option} must be lower-case letters, digits and '-' (at most ${MAX_LENGTH}, e.g. ${example}); got "${value}".`);
  }
  return value;
}
