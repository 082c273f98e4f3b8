export const PINO_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type PinoLevel = (typeof PINO_LEVELS)[number];

// The deployment guide writes Python-style level names (`INFO`); accept those and pino's own.
const LEVEL_ALIASES: Record<string, PinoLevel> = { warning: 'warn', critical: 'fatal', off: 'silent' };

export function parseLogLevel(value: unknown): unknown {
  if (value === undefined || value === '') return 'info';
  if (typeof value !== 'string') return value;
  const lower = value.trim().toLowerCase();
  return LEVEL_ALIASES[lower] ?? lower;
}

/** A number, or the raw text so the validator can name the variable when it is not one. */
export function parseNumber(value: unknown, fallback: number): unknown {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  return typeof value === 'string' && value.trim() !== '' && Number.isFinite(number) ? number : value;
}

export function parseBoolean(value: unknown, fallback: boolean): unknown {
  if (value === undefined || value === '') return fallback;
  const lower = String(value).trim().toLowerCase();
  if (['true', '1', 'yes'].includes(lower)) return true;
  if (['false', '0', 'no'].includes(lower)) return false;
  return value;
}

/** Comma- or whitespace-separated list, as a Helm list renders into one variable. */
export function parseList(value: unknown): unknown {
  if (value === undefined) return [];
  if (typeof value !== 'string') return value;
  return value.split(/[\s,]+/).filter((item) => item.length > 0);
}
