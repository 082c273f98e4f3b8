import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withChartCopy } from './support/chart-copy';
import {
  charts,
  findAll,
  findOne,
  helmFailure,
  parseManifests,
  render,
  renderText,
  templateArgs,
} from './support/helm';
import type { Deployment, HorizontalPodAutoscaler, PodDisruptionBudget } from './support/k8s-types';

describe.each(charts)('%s replicas, autoscaling and disruption budget', (chart) => {
  const guide = [`${chart}-values.yaml`];

  it('with autoscaling disabled sets replicas to replicaCount and renders no HPA', () => {
    const manifests = render(chart, { valuesFiles: guide, set: { 'autoscaling.enabled': false, replicaCount: 3 } });
    expect(findOne<Deployment>(manifests, 'Deployment').spec.replicas).toBe(3);
    expect(findAll<HorizontalPodAutoscaler>(manifests, 'HorizontalPodAutoscaler')).toEqual([]);
  });

  it('with autoscaling enabled leaves replicas out when no Deployment runs yet (as under helm template)', () => {
    const manifests = render(chart, { valuesFiles: guide, set: { 'autoscaling.enabled': true, replicaCount: 7 } });
    expect(findOne<Deployment>(manifests, 'Deployment').spec).not.toHaveProperty('replicas');
    expect(findAll(manifests, 'HorizontalPodAutoscaler')).toHaveLength(1);
  });

  // lookup finds nothing offline, so a copy of the chart answers it with a Deployment running 4
  // pods: turning autoscaling on for a release must keep that count, not drop the field (which
  // Kubernetes would reset to 1).
  it.each([
    { autoscaling: true, replicas: 4 },
    { autoscaling: false, replicas: 2 },
  ])(
    'with a live Deployment at 4 pods and autoscaling $autoscaling renders replicas $replicas',
    ({ autoscaling, replicas }) => {
      const lookup = `lookup "apps/v1" "Deployment" .Release.Namespace (include "${chart}.fullname" .)`;
      const rendered = withChartCopy(
        chart,
        (copy) => {
          const helpers = join(copy, 'templates/_helpers.tpl');
          const text = readFileSync(helpers, 'utf8');
          expect(text).toContain(lookup);
          writeFileSync(helpers, text.replace(lookup, 'dict "spec" (dict "replicas" 4)'));
        },
        (copy) =>
          renderText(chart, {
            chartDir: copy,
            valuesFiles: guide,
            set: { 'autoscaling.enabled': autoscaling, replicaCount: 2 },
          }),
      );
      expect(findOne<Deployment>(parseManifests(rendered), 'Deployment').spec.replicas).toBe(replicas);
    },
  );

  it.each<{ label: string; set: Record<string, number | boolean>; budget: boolean }>([
    { label: 'one fixed replica', set: { 'autoscaling.enabled': false, replicaCount: 1 }, budget: false },
    { label: 'two fixed replicas', set: { 'autoscaling.enabled': false, replicaCount: 2 }, budget: true },
    {
      label: 'an HPA from 1 pod',
      set: { 'autoscaling.enabled': true, 'autoscaling.minReplicas': 1, replicaCount: 5 },
      budget: false,
    },
    {
      label: 'an HPA from 2 pods',
      set: { 'autoscaling.enabled': true, 'autoscaling.minReplicas': 2, replicaCount: 1 },
      budget: true,
    },
    {
      label: 'two replicas and pdb.enabled false',
      set: { 'autoscaling.enabled': false, replicaCount: 2, 'pdb.enabled': false },
      budget: false,
    },
  ])('with $label: PodDisruptionBudget rendered = $budget', ({ set, budget }) => {
    const budgets = findAll<PodDisruptionBudget>(render(chart, { valuesFiles: guide, set }), 'PodDisruptionBudget');
    expect(budgets.map((pdb) => pdb.spec)).toEqual(budget ? [expect.objectContaining({ maxUnavailable: 1 })] : []);
  });

  it.each<{ label: string; set: Record<string, string | number>; spec: Record<string, string | number> }>([
    { label: 'neither set', set: {}, spec: { maxUnavailable: 1 } },
    { label: 'minAvailable 2', set: { 'pdb.minAvailable': 2 }, spec: { minAvailable: 2 } },
    { label: 'minAvailable 0', set: { 'pdb.minAvailable': 0 }, spec: { minAvailable: 0 } },
    { label: 'maxUnavailable 25%', set: { 'pdb.maxUnavailable': '25%' }, spec: { maxUnavailable: '25%' } },
    { label: 'maxUnavailable 2', set: { 'pdb.maxUnavailable': 2 }, spec: { maxUnavailable: 2 } },
  ])('with $label the budget has exactly that limit', ({ set, spec }) => {
    const manifests = render(chart, { valuesFiles: guide, set: { 'autoscaling.minReplicas': 3, ...set } });
    const budget = findOne<PodDisruptionBudget>(manifests, 'PodDisruptionBudget').spec;
    const limits = Object.entries(budget).filter(([key]) => key === 'minAvailable' || key === 'maxUnavailable');
    expect(Object.fromEntries(limits)).toEqual(spec);
  });

  it('refuses minAvailable and maxUnavailable together, naming both', () => {
    const message = helmFailure(
      templateArgs(chart, { valuesFiles: guide, set: { 'pdb.minAvailable': 1, 'pdb.maxUnavailable': 1 } }),
    );
    expect(message).toContain('pdb.minAvailable and pdb.maxUnavailable are both set');
  });

  it('refuses a maxUnavailable of 0, which would block every drain', () => {
    const message = helmFailure(templateArgs(chart, { valuesFiles: guide, set: { 'pdb.maxUnavailable': 0 } }));
    expect(message).toContain("at '/pdb/maxUnavailable'");
  });
});
