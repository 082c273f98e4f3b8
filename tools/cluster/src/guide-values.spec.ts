import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

const { writeGuideValuesFile } = await import('./guide-values.mjs');
const { repoRoot } = await import('./layout.mjs');

const env = {
  TENANT_ID: 'tenant-guid',
  SERVER_CLIENT_ID: 'server-guid',
  CLIENT_CLIENT_ID: 'client-guid',
  REGISTRY: '127.0.0.1:5000',
  IMAGE_TAG: 'abc123',
  BACKEND_API_URL: 'http://10.244.0.1:8081',
  BACKEND_SCOPE: 'api://mcp-sample-backend/.default',
};

describe("the guide's values files, filled from .cluster/env", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guide-values-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const guide = (app: string) => parse(fs.readFileSync(path.join(repoRoot, `charts/tests/fixtures/${app}-values.yaml`), 'utf8'));

  it('changes only the IDs, the image, the backend URL and its scope of the server\'s', () => {
    const filled = parse(fs.readFileSync(writeGuideValuesFile('mcp-server', env, dir), 'utf8'));
    const original = guide('mcp-server');
    expect(filled).toEqual({
      ...original,
      azure: { ...original.azure, tenantId: 'tenant-guid', clientId: 'server-guid', scopes: ['api://mcp-sample-backend/.default'] },
      image: { ...original.image, repository: '127.0.0.1:5000/mcp-server', tag: 'abc123' },
      app: { ...original.app, backendApiUrl: 'http://10.244.0.1:8081' },
    });
    // What the guide sets and the cluster keeps: limits, autoscaling, readiness on the backend.
    expect(filled.resources.limits).toEqual({ cpu: '1000m', memory: '1Gi' });
    expect(filled.app.readinessCheckBackend).toBe(true);
  });

  it('changes only the IDs and the image of the client\'s', () => {
    const filled = parse(fs.readFileSync(writeGuideValuesFile('mcp-client', env, dir), 'utf8'));
    const original = guide('mcp-client');
    expect(filled).toEqual({
      ...original,
      azure: { ...original.azure, tenantId: 'tenant-guid', clientId: 'client-guid' },
      image: { ...original.image, repository: '127.0.0.1:5000/mcp-client', tag: 'abc123' },
    });
  });
});
