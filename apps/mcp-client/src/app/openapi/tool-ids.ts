import { createHash } from 'node:crypto';

/**
 * An id per tool for its operationId and component names, unique within the document even where
 * names normalise alike. Ids use `[A-Za-z0-9_]` only: Swagger UI turns every other character into
 * `_` for its DOM ids and deep links, and code generators do likewise, so `a-b` and `a_b` would
 * meet there. A name that needs normalising gets a hash of itself appended, which keeps its id
 * stable while other tools come and go; a clash left after that (differing only in case, or
 * a name spelled like another's id) takes a counter.
 */
export function toolIds(names: readonly string[]): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const name of names) {
    const safe = name.replace(/[^A-Za-z0-9_]/g, '_');
    const base = safe === name ? name : `${safe}_${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
    let id = base;
    for (let counter = 2; taken.has(id.toLowerCase()); counter++) id = `${base}_${counter}`;
    taken.add(id.toLowerCase());
    ids.set(name, id);
  }
  return ids;
}
