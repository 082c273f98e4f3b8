import { register } from 'prom-client';

/** The metric already registered under `name`, else a new one: two Nest applications in one process (tests) share prom-client's global registry. */
export function getOrCreateMetric<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}
