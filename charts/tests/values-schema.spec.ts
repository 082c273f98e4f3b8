import { type ChartName, charts, helm, helmFailure, removeValuesFiles, templateArgs, valuesFile } from './support/helm';

afterAll(removeValuesFiles);

/** `helm template` with the guide values plus `extra`, which must fail; returns helm's message. */
function failureWith(chart: ChartName, name: string, extra: string): string {
  return helmFailure(
    templateArgs(chart, { valuesFiles: [`${chart}-values.yaml`, valuesFile(`${chart}-${name}.yaml`, extra)] }),
  );
}

describe.each(charts)('%s values.schema.json', (chart) => {
  it('rejects a misspelt top-level key and names it', () => {
    const message = failureWith(chart, 'typo', 'replicaCont: 2\n');
    expect(message).toContain("values don't meet the specifications of the schema");
    expect(message).toContain("additional properties 'replicaCont' not allowed");
  });

  it('rejects a misspelt nested key and names where it is', () => {
    const message = failureWith(chart, 'nested-typo', 'autoscaling:\n  enabeld: true\n');
    expect(message).toMatch(/at '\/autoscaling': additional properties 'enabeld' not allowed/);
  });

  it('rejects replicaCount given as a string', () => {
    expect(failureWith(chart, 'string-replicas', 'replicaCount: "2"\n')).toContain(
      "at '/replicaCount': got string, want integer",
    );
  });

  it('rejects the same through --set-string', () => {
    const message = helmFailure(templateArgs(chart, { setString: { replicaCount: '2' } }));
    expect(message).toContain("at '/replicaCount': got string, want integer");
  });

  it("rejects the guide's placeholders left in place", () => {
    const message = failureWith(chart, 'placeholders', 'azure:\n  tenantId: "<TENANT_ID>"\n  clientId: "<UAMI_ID>"\n');
    expect(message).toContain("at '/azure/tenantId': '<TENANT_ID>' does not match pattern");
    expect(message).toContain("at '/azure/clientId': '<UAMI_ID>' does not match pattern");
  });

  it('rejects an unknown log level', () => {
    expect(failureWith(chart, 'log-level', 'app:\n  logLevel: VERBOSE\n')).toContain("at '/app/logLevel'");
  });

  it('rejects a typo inside a list item (networkPolicy.extraEgress)', () => {
    const message = failureWith(chart, 'egress-typo', 'networkPolicy:\n  extraEgress:\n    - too: []\n');
    expect(message).toContain("at '/networkPolicy/extraEgress/0': additional properties 'too' not allowed");
  });

  it('rejects an autoscaling range whose minimum exceeds its maximum', () => {
    expect(failureWith(chart, 'hpa-range', 'autoscaling:\n  minReplicas: 6\n  maxReplicas: 3\n')).toContain(
      'autoscaling.minReplicas (6) must not exceed autoscaling.maxReplicas (3)',
    );
  });

  it('rejects a grace period that does not cover the preStop sleep and the drain', () => {
    expect(failureWith(chart, 'grace', 'terminationGracePeriodSeconds: 30\n')).toContain(
      "terminationGracePeriodSeconds (30) must exceed preStopSleepSeconds (5) plus the app's 30 s drain time",
    );
  });

  it('rejects autoscaling without a CPU request', () => {
    const message = helmFailure(templateArgs(chart, { set: { 'autoscaling.enabled': true, resources: 'null' } }));
    expect(message).toContain('autoscaling.enabled needs resources.requests.cpu');
  });

  it.each([
    ['app.kubernetes.io/name', "the Deployment's selector and the Service match on it"],
    ['app.kubernetes.io/instance', "the Deployment's selector and the Service match on it"],
    ['azure.workload.identity/use', 'the chart sets it to "true" for the workload identity webhook'],
  ])('rejects podLabels that set %s', (key, why) => {
    expect(failureWith(chart, 'pod-labels', `podLabels:\n  ${key}: "other"\n`)).toContain(
      `podLabels must not set ${key}: ${why}`,
    );
  });

  const expirationKey = 'azure.workload.identity/service-account-token-expiration';
  const expiration = (value: string) => `serviceAccount:\n  annotations:\n    ${expirationKey}: "${value}"\n`;

  it.each(['600', '3599', '86401', '1h', '3600s', ''])(
    'rejects a service account token expiration of "%s" (the webhook admits 3600-86400)',
    (value) => {
      expect(failureWith(chart, 'token-expiration', expiration(value))).toContain(
        `serviceAccount.annotations["${expirationKey}"] must be a whole number of seconds from 3600 to 86400`,
      );
    },
  );

  it.each(['3600', '86400'])('accepts a service account token expiration of "%s"', (value) => {
    const file = valuesFile(`${chart}-token-expiration-ok.yaml`, expiration(value));
    expect(helm(templateArgs(chart, { valuesFiles: [`${chart}-values.yaml`, file] }))).toContain(
      `${expirationKey}: "${value}"`,
    );
  });

  it('rejects an extra volume of a kind the restricted Pod Security Standard forbids', () => {
    const message = failureWith(chart, 'host-path', 'extraVolumes:\n  - name: host\n    hostPath:\n      path: /\n');
    expect(message).toContain("at '/extraVolumes/0': additional properties 'hostPath' not allowed");
  });

  it("rejects an extra volume named tmp, the chart's own", () => {
    expect(failureWith(chart, 'tmp-volume', 'extraVolumes:\n  - name: tmp\n    emptyDir: {}\n')).toContain(
      'extraVolumes[0]: the name "tmp" is taken by the chart\'s /tmp volume',
    );
  });

  it('rejects an extra volume mount without a mountPath', () => {
    expect(failureWith(chart, 'mount', 'extraVolumeMounts:\n  - name: extra-ca\n')).toContain(
      "at '/extraVolumeMounts/0': missing property 'mountPath'",
    );
  });
});

describe('mcp-server values.schema.json, server-only keys', () => {
  it('rejects backendApiTimeout with a unit', () => {
    expect(failureWith('mcp-server', 'timeout', 'app:\n  backendApiTimeout: 10s\n')).toContain(
      "at '/app/backendApiTimeout': got string, want integer",
    );
  });

  it('rejects scopes given as one string instead of a list', () => {
    expect(failureWith('mcp-server', 'scopes', 'azure:\n  scopes: https://management.azure.com/.default\n')).toContain(
      "at '/azure/scopes': got string, want array",
    );
  });

  it('rejects a client-only key', () => {
    expect(failureWith('mcp-server', 'client-key', 'app:\n  mcpServerUrl: http://mcp-server:8000\n')).toContain(
      "additional properties 'mcpServerUrl' not allowed",
    );
  });
});

describe('mcp-client values.schema.json, client-only keys', () => {
  it('rejects a server-only key', () => {
    expect(failureWith('mcp-client', 'server-key', 'app:\n  readinessCheckBackend: true\n')).toContain(
      "additional properties 'readinessCheckBackend' not allowed",
    );
  });
});

describe('mcp-server values.schema.json: stream bounds and readiness cache', () => {
  it.each([
    ['no streams at all', 'app:\n  streams:\n    max: 0\n', "at '/app/streams/max'"],
    ['a misspelt stream bound', 'app:\n  streams:\n    maxPerCaler: 5\n', "additional properties 'maxPerCaler' not allowed"],
    ['a readiness cache of minutes', 'app:\n  readinessCacheTtl: 600\n', "at '/app/readinessCacheTtl'"],
  ])('rejects %s', (name, extra, message) => {
    expect(failureWith('mcp-server', name.replace(/\s+/g, '-'), extra)).toContain(message);
  });
});
