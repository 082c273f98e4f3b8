import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChartName, chartPath } from './helm';

/**
 * Runs `use` on a throw-away copy of a chart after `edit` has changed it: for what `helm
 * template` cannot show of the real chart (NOTES.txt, or what `lookup` finds in a cluster).
 */
export function withChartCopy<T>(chart: ChartName, edit: (copy: string) => void, use: (copy: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'chart-copy-'));
  try {
    const copy = join(dir, chart);
    cpSync(chartPath(chart), copy, { recursive: true });
    edit(copy);
    return use(copy);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
