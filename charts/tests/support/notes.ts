import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withChartCopy } from './chart-copy';
import { type ChartName, type RenderOptions, findOne, helm, parseManifests, templateArgs } from './helm';
import type { ConfigMap } from './k8s-types';

/**
 * NOTES.txt as `helm install` would print it. `helm template` leaves NOTES out and
 * `helm install --dry-run` needs a reachable cluster, so this renders a copy of the chart in
 * which the notes are also a template, inside a ConfigMap.
 */
export function renderNotes(chart: ChartName, options: RenderOptions = {}): string {
  return withChartCopy(
    chart,
    (copy) => {
      const notes = readFileSync(join(copy, 'templates/NOTES.txt'), 'utf8');
      writeFileSync(
        join(copy, 'templates/_notes-preview.tpl'),
        `{{- define "notes-preview" -}}\n${notes}{{- end -}}\n`,
      );
      writeFileSync(
        join(copy, 'templates/notes-preview.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes-preview\ndata:\n  notes: {{ include "notes-preview" . | toJson }}\n',
      );
    },
    (copy) => {
      const args = [
        ...templateArgs(chart, { ...options, chartDir: copy }),
        '--show-only',
        'templates/notes-preview.yaml',
      ];
      return findOne<ConfigMap>(parseManifests(helm(args)), 'ConfigMap', 'notes-preview').data['notes'];
    },
  );
}
