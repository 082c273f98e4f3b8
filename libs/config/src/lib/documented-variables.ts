import { readFileSync } from 'node:fs';

/**
 * The variables named in the first column of the Markdown table that follows `heading` in `file`
 * (`| \`PORT\` | ...`, several per cell allowed: `` `A`, `B` ``). For tests that keep a README's
 * configuration table equal to what a config class reads.
 */
export function documentedVariables(file: string, heading: string): string[] {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(heading);
  if (start < 0) throw new Error(`${file} has no heading ${JSON.stringify(heading)}`);
  const lines = text.slice(start).split('\n').slice(1);
  const first = lines.findIndex((line) => line.startsWith('|'));
  const end = lines.findIndex((line, index) => index > first && !line.startsWith('|'));
  // The header row and the separator row name no variable.
  const rows = lines.slice(first + 2, end < 0 ? undefined : end);
  return rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => match[1]));
}
