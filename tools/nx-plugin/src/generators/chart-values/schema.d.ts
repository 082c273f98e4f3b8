export interface ChartValuesGeneratorSchema {
  /** Folder under charts/, e.g. mcp-server. */
  chart: string;
  /** e.g. prod: the file goes to charts/environments/prod/. */
  environment: string;
  tenantId: string;
  clientId: string;
  /** An ACR name (contosomcp) or a registry host with an optional path. */
  registry: string;
  backendApiUrl?: string;
  mcpServerUrl?: string;
  imageTag?: string;
  overwrite?: boolean;
}
