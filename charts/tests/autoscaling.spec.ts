import { charts, findAll, findOne, render } from './support/helm';
import type { Deployment, HorizontalPodAutoscaler, PodDisruptionBudget } from './support/k8s-types';

describe.each(charts)('%s replicas, autoscaling and disruption budget', (chart) => {
  const guide = [`${chart}-values.yaml`];

  it('with autoscaling disabled sets replicas to replicaCount and renders no HPA', () => {
    const manifests = render(chart, { valuesFiles: guide, set: { 'autoscaling.enabled': false, replicaCount: 3 } });
    expect(findOne<Deployment>(manifests, 'Deployment').spec.replicas).toBe(3);
    expect(findAll<HorizontalPodAutoscaler>(manifests, 'HorizontalPodAutoscaler')).toEqual([]);
  });

  it('with autoscaling enabled leaves replicas out, whatever replicaCount says', () => {
    const manifests = render(chart, { valuesFiles: guide, set: { 'autoscaling.enabled': true, replicaCount: 7 } });
    expect(findOne<Deployment>(manifests, 'Deployment').spec).not.toHaveProperty('replicas');
    expect(findAll(manifests, 'HorizontalPodAutoscaler')).toHaveLength(1);
  });

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
    expect(budgets.map((pdb) => pdb.spec.minAvailable)).toEqual(budget ? [1] : []);
  });
});
