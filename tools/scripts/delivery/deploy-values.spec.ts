import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { helm } from '../test-support/helm';
import { repoRoot } from '../test-support/repo';

// charts/environments/<environment>/<chart>-values.yaml are what the deploy jobs hand to
// `helm upgrade --install`. Rendering them with the real helm applies each chart's
// values.schema.json, so a misspelt key or a wrong type fails here, not in the deploy job.
const charts = ['mcp-server', 'mcp-client'] as const;
const deployDir = join(repoRoot, 'charts', 'environments');
const environments = readdirSync(deployDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

interface Manifest {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: { template?: { spec?: { containers?: { image: string }[] } } };
}

interface DeployValues {
  azure: { tenantId: string; clientId: string };
}

// What the deploy jobs --set on top of the file.
const pipelineImage = (chart: string) => ({ repository: `registry.gitlab.com/contoso/mcp-platform/${chart}`, tag: '1a2b3c4d' });

function template(chart: string, valuesFile: string): Manifest[] {
  const image = pipelineImage(chart);
  const output = helm([
    'template', chart, join(repoRoot, 'charts', chart),
    '--namespace', 'mcp-system',
    '--values', valuesFile,
    '--set', `image.repository=${image.repository}`,
    '--set', `image.tag=${image.tag}`,
  ]);
  return parseAllDocuments(output)
    .map((document) => document.toJS() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

function valuesPath(environment: string, chart: string): string {
  return join(deployDir, environment, `${chart}-values.yaml`);
}

it('has at least the dev environment', () => {
  expect(environments).toContain('dev');
});

describe.each(environments)('charts/environments/%s', (environment) => {
  it('holds exactly one values file per chart', () => {
    expect(readdirSync(join(deployDir, environment)).sort()).toEqual(charts.map((chart) => `${chart}-values.yaml`).sort());
  });

  it.each(charts)('%s-values.yaml renders with the real helm against the chart schema, with the pipeline image', (chart) => {
    const manifests = template(chart, valuesPath(environment, chart));
    const values = parse(readFileSync(valuesPath(environment, chart), 'utf8')) as DeployValues;

    const deployment = manifests.find((manifest) => manifest.kind === 'Deployment');
    const image = pipelineImage(chart);
    expect(deployment?.metadata.name).toBe(chart);
    expect(deployment?.spec?.template?.spec?.containers?.[0].image).toBe(`${image.repository}:${image.tag}`);
    const serviceAccount = manifests.find((manifest) => manifest.kind === 'ServiceAccount');
    expect(serviceAccount?.metadata.name).toBe(chart);
    expect(serviceAccount?.metadata.annotations?.['azure.workload.identity/client-id']).toBe(values.azure.clientId);
  });

  it('gives both charts the same workload identity (one UAMI, a federated credential per service account)', () => {
    const [server, client] = charts.map((chart) => (parse(readFileSync(valuesPath(environment, chart), 'utf8')) as DeployValues).azure);
    expect(client).toEqual({ tenantId: server.tenantId, clientId: server.clientId });
  });
});

describe('a values file with a mistake', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'deploy-values-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['a misspelt key', (text: string) => text.replace(/^replicaCount:/m, 'replicaCont:'), "additional properties 'replicaCont' not allowed"],
    ['a string where a number belongs', (text: string) => text.replace(/^replicaCount: (\d+)/m, 'replicaCount: "$1"'), 'replicaCount'],
    ['the guide placeholder for the client ID', (text: string) => text.replace(/clientId: ".*"/, 'clientId: "<UAMI_ID>"'), 'clientId'],
  ])('fails helm template: %s', (_name, corrupt, message) => {
    const file = join(dir, 'mcp-server-values.yaml');
    const original = readFileSync(valuesPath('dev', 'mcp-server'), 'utf8');
    const corrupted = corrupt(original);
    expect(corrupted).not.toBe(original);
    writeFileSync(file, corrupted);

    expect(() => template('mcp-server', file)).toThrow(message);
  });
});
