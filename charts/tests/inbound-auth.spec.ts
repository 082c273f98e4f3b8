import { charts, findOne, helmFailure, render, templateArgs, testPods } from './support/helm';
import type { ConfigMap, Pod } from './support/k8s-types';

const AUTH_VARIABLES = {
  'mcp-server': ['MCP_AUTH_ENABLED', 'MCP_AUTH_AUDIENCES', 'MCP_AUTH_REQUIRED_ROLES'],
  'mcp-client': ['MCP_CLIENT_AUTH_ENABLED', 'MCP_CLIENT_AUTH_AUDIENCES', 'MCP_CLIENT_AUTH_REQUIRED_ROLES'],
} as const;

describe.each(charts)('%s inbound auth and ingress', (chart) => {
  const guide = { valuesFiles: [`${chart}-values.yaml`] };
  const configOf = (set: Record<string, string | boolean>) => findOne<ConfigMap>(render(chart, { ...guide, set }), 'ConfigMap').data;

  it('refuses an Ingress without inbound auth, saying why', () => {
    const message = helmFailure(templateArgs(chart, { ...guide, set: { 'ingress.enabled': true } }));
    expect(message).toContain(`ingress.enabled needs app.auth.enabled=true (${AUTH_VARIABLES[chart][0]})`);
    expect(message).toContain("every caller would call tools with this pod's Entra identity");
  });

  it('renders an Ingress with inbound auth on, and passes the auth settings to the app', () => {
    const manifests = render(chart, { ...guide, set: { 'ingress.enabled': true, 'app.auth.enabled': true } });
    expect(manifests.map((manifest) => manifest.kind)).toContain('Ingress');
    const [enabled, audiences, roles] = AUTH_VARIABLES[chart];
    expect(findOne<ConfigMap>(manifests, 'ConfigMap').data).toMatchObject({
      [enabled]: 'true',
      [audiences]: chart === 'mcp-server' ? 'api://mcp-server' : 'api://mcp-client',
      [roles]: 'Tools.Call',
    });
  });

  it('joins app.auth.audiences and requiredRoles', () => {
    const data = configOf({ 'app.auth.enabled': true, 'app.auth.audiences': '{api://tools,0f4d6a2e}', 'app.auth.requiredRoles': '{Tools.Call,Tools.Read}' });
    expect(data[AUTH_VARIABLES[chart][1]]).toBe('api://tools,0f4d6a2e');
    expect(data[AUTH_VARIABLES[chart][2]]).toBe('Tools.Call,Tools.Read');
  });

  it('leaves auth off, and its variables out, with the guide values', () => {
    const data = configOf({});
    for (const name of AUTH_VARIABLES[chart]) expect(data[name]).toBeUndefined();
  });

  it('refuses a typo under app.auth and an empty audience list', () => {
    expect(helmFailure(templateArgs(chart, { ...guide, set: { 'app.auth.enable': true } }))).toContain('enable');
    expect(helmFailure(templateArgs(chart, { ...guide, set: { 'app.auth.enabled': true, 'app.auth.audiences': '{}' } }))).toContain('audiences');
  });
});

describe('mcp-client Host allow-list', () => {
  const guide = { release: 'mcp-client', namespace: 'mcp-system', valuesFiles: ['mcp-client-values.yaml'] };

  it('accepts localhost and the Service names in MCP_CLIENT_ALLOWED_HOSTS, with no origins of its own', () => {
    const data = findOne<ConfigMap>(render('mcp-client', guide), 'ConfigMap').data;
    expect(data['MCP_CLIENT_ALLOWED_HOSTS'].split(',')).toEqual([
      'localhost',
      '127.0.0.1',
      '[::1]',
      'mcp-client',
      'mcp-client.mcp-system',
      'mcp-client.mcp-system.svc',
      'mcp-client.mcp-system.svc.cluster.local',
    ]);
    expect(data['MCP_CLIENT_ALLOWED_ORIGINS']).toBeUndefined();
  });

  it('adds the ingress hosts and app.allowedHosts, and passes app.allowedOrigins', () => {
    const data = findOne<ConfigMap>(render('mcp-client', { ...guide, valuesFiles: ['mcp-client-values.yaml', 'mcp-client-all-features.yaml'] }), 'ConfigMap').data;
    expect(data['MCP_CLIENT_ALLOWED_HOSTS'].split(',')).toEqual(expect.arrayContaining(['mcp-client', 'tools.contoso.example', 'tools.internal.contoso.example']));
    expect(data['MCP_CLIENT_ALLOWED_ORIGINS']).toBe('portal.contoso.example');
  });

  it('has helm test ask /tools, or /health/ready when the test pod would need a token', () => {
    const url = (set: Record<string, boolean>) => testPods<Pod>(render('mcp-client', { ...guide, set }))[0].spec.containers[0].args?.at(-1);
    expect(url({})).toBe('http://mcp-client:8000/tools');
    expect(url({ 'app.auth.enabled': true })).toBe('http://mcp-client:8000/health/ready');
  });
});
