/**
 * The deployment guide's values files (Steps 5 and 6), key for key: `chart-values` writes
 * exactly these keys, with the guide's numbers and the caller's identities, registry and URLs.
 */
export interface ServerValues {
  azure: { tenantId: string; clientId: string; authorityHost: string; scopes: string[] };
  image: { repository: string; tag: string };
  replicaCount: number;
  autoscaling: Autoscaling;
  app: { logLevel: string; backendApiUrl: string; backendApiTimeout: number; readinessCheckBackend: boolean };
  resources: Resources;
}

export interface ClientValues {
  azure: { tenantId: string; clientId: string };
  image: { repository: string; tag: string };
  app: { logLevel: string; mcpServerUrl: string };
  replicaCount: number;
  autoscaling: Autoscaling;
  resources: Resources;
}

interface Autoscaling {
  enabled: boolean;
  minReplicas: number;
  maxReplicas: number;
  targetCPUUtilizationPercentage: number;
}

interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

export interface Identity {
  tenantId: string;
  clientId: string;
  repository: string;
  tag: string;
}

export function serverValues(identity: Identity, backendApiUrl: string): ServerValues {
  return {
    azure: {
      tenantId: identity.tenantId,
      clientId: identity.clientId,
      authorityHost: 'https://login.microsoftonline.com',
      scopes: ['https://management.azure.com/.default'],
    },
    image: { repository: identity.repository, tag: identity.tag },
    replicaCount: 2,
    autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 80 },
    app: { logLevel: 'INFO', backendApiUrl, backendApiTimeout: 10, readinessCheckBackend: true },
    resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1000m', memory: '1Gi' } },
  };
}

export function clientValues(identity: Identity, mcpServerUrl: string): ClientValues {
  return {
    azure: { tenantId: identity.tenantId, clientId: identity.clientId },
    image: { repository: identity.repository, tag: identity.tag },
    app: { logLevel: 'INFO', mcpServerUrl },
    replicaCount: 1,
    autoscaling: { enabled: true, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 75 },
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  };
}
