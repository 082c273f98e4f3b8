import { readFileSync } from 'node:fs';
import { type ChartName, type RenderOptions, charts, fixturePath, renderText } from './support/helm';
import { helmTools } from './support/tools';
import { type KubernetesSchemas, validateManifests } from './support/validate';

const scenarios: Record<string, (chart: ChartName) => RenderOptions> = {
  'default values': () => ({}),
  'the guide values': (chart) => ({ valuesFiles: [`${chart}-values.yaml`] }),
  'every optional feature on': (chart) => ({ valuesFiles: [`${chart}-values.yaml`, `${chart}-all-features.yaml`] }),
  'autoscaling off and a release named apart from the chart': () => ({
    release: 'staging',
    set: { 'autoscaling.enabled': false, replicaCount: 3 },
  }),
};

const cases = charts.flatMap((chart) =>
  Object.keys(scenarios).flatMap((scenario) =>
    (['current', 'minimum'] as KubernetesSchemas[]).map((schemas) => ({ chart, scenario, schemas })),
  ),
);

describe('rendered manifests against the Kubernetes schemas, offline and strict', () => {
  it.each(cases)('$chart with $scenario is valid for the $schemas Kubernetes', ({ chart, scenario, schemas }) => {
    const manifests = renderText(chart, scenarios[scenario](chart));
    expect(validateManifests(manifests, schemas)).toEqual([]);
  });

  it('uses the pinned schema versions', () => {
    expect(helmTools().kubernetesSchemaVersion).toMatch(/^v1\.(3[6-9]|[4-9]\d)\./);
    expect(helmTools().kubernetesMinVersion).toBe('1.28');
  });

  // The validator has to be shown failing, or a pass above would prove nothing.
  it.each(['current', 'minimum'] as KubernetesSchemas[])(
    'rejects an unknown field in a Deployment (%s Kubernetes)',
    (schemas) => {
      const failures = validateManifests(readFileSync(fixturePath('broken-deployment.yaml'), 'utf8'), schemas);
      expect(failures).toHaveLength(1);
      expect(failures[0].message).toContain('spec.template.spec.containers[0].imagePullPolcy');
      expect(failures[0].message).toContain('unknown field');
    },
  );

  it('rejects an unknown field in a ServiceMonitor (from its CRD schema)', () => {
    const failures = validateManifests(readFileSync(fixturePath('broken-servicemonitor.yaml'), 'utf8'), 'current');
    expect(failures.map((failure) => failure.message)).toEqual([
      expect.stringContaining('spec.endpoints[0].metricsPath: Invalid value: value provided for unknown field'),
    ]);
  });

  it('rejects a value of the wrong type and names the field', () => {
    const rendered = renderText('mcp-server').replace('replicas: 2', 'replicas: "2"');
    const failures = validateManifests(rendered, 'current');
    expect(failures).toHaveLength(1);
    expect(failures[0].message).toContain('spec.replicas');
  });

  it('reports the one broken document among valid ones', () => {
    const broken = readFileSync(fixturePath('broken-deployment.yaml'), 'utf8');
    const rendered = `${renderText('mcp-client')}\n---\n${broken}`;
    const failures = validateManifests(rendered, 'current');
    expect(failures).toHaveLength(1);
    expect(failures[0].message).toContain('imagePullPolcy');
  });
});
