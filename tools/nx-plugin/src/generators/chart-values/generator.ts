import { generateFiles, GeneratorCallback, joinPathFragments, logger, Tree } from '@nx/devkit';
import type { AnySchemaObject } from 'ajv';
import { parse } from 'yaml';
import { checkDnsLabel } from '../../utils/dns-label';
import { GeneratorOptionError } from '../../utils/generator-option-error';
import { validateChartValues } from './chart-schema';
import { ClientValues, clientValues, Identity, ServerValues, serverValues } from './guide-values';
import { checkGuid, checkHttpUrl, imageRepository } from './option-checks';
import { ChartValuesGeneratorSchema } from './schema';

export type ValuesShape = 'server' | 'client';

export interface ChartValuesPlan {
  chart: string;
  environment: string;
  shape: ValuesShape;
  /** charts/environments/<environment>/<chart>-values.yaml */
  path: string;
  values: ServerValues | ClientValues;
}

/**
 * No formatFiles here: the file keeps the guide's layout and double quotes, which prettier with
 * this workspace's `singleQuote` would turn into single quotes (the charts' own values files
 * are not prettier-formatted either). The template is the formatting.
 */
export async function chartValuesGenerator(tree: Tree, options: ChartValuesGeneratorSchema): Promise<GeneratorCallback> {
  const plan = planChartValues(tree, options);
  const directory = joinPathFragments('charts', 'environments', plan.environment);
  generateFiles(tree, joinPathFragments(__dirname, 'files', plan.shape), directory, {
    chart: plan.chart,
    environment: plan.environment,
    values: plan.values,
    json: (value: unknown) => JSON.stringify(value),
  });
  return () => {
    logger.info(`Deploy with: helm upgrade --install ${plan.chart} charts/${plan.chart} --namespace mcp-system --values ${plan.path}`);
  };
}

export default chartValuesGenerator;

/** Checks every option and validates the values against the chart's schema; writes nothing. */
export function planChartValues(tree: Tree, options: ChartValuesGeneratorSchema): ChartValuesPlan {
  const chart = checkDnsLabel('chart', options.chart, 'mcp-server');
  const environment = checkDnsLabel('environment', options.environment, 'prod');
  const chartDir = `charts/${chart}`;
  if (!tree.exists(`${chartDir}/Chart.yaml`)) {
    const known = tree.children('charts').filter((name) => tree.exists(`charts/${name}/Chart.yaml`)).sort();
    throw new GeneratorOptionError(`Unknown chart "${chart}" (--chart): there is no ${chartDir}/Chart.yaml. Charts here: ${known.join(', ') || 'none'}.`);
  }
  const schemaPath = `${chartDir}/values.schema.json`;
  if (!tree.exists(schemaPath)) {
    throw new GeneratorOptionError(`Chart "${chart}" has no values.schema.json, so its values cannot be checked before writing.`);
  }
  const schema = JSON.parse(tree.read(schemaPath, 'utf-8') ?? '{}') as AnySchemaObject;
  const shape = valuesShape(chart, schema);
  const chartYaml = (parse(tree.read(`${chartDir}/Chart.yaml`, 'utf-8') ?? '') ?? {}) as { appVersion?: unknown };
  const chartDefaults = (parse(tree.read(`${chartDir}/values.yaml`, 'utf-8') ?? '') ?? {}) as { app?: Record<string, unknown> };

  const identity: Identity = {
    tenantId: checkGuid('tenantId', options.tenantId, 'Entra tenant ID: az account show --query tenantId -o tsv'),
    clientId: checkGuid('clientId', options.clientId, 'managed identity client ID: az identity show -g <rg> -n <name> --query clientId -o tsv'),
    repository: imageRepository(options.registry, chart),
    tag: (options.imageTag ?? String(chartYaml.appVersion ?? '')).trim(),
  };
  let values: ServerValues | ClientValues;
  if (shape === 'server') {
    if (options.mcpServerUrl !== undefined) throw new GeneratorOptionError(`--mcpServerUrl applies to the client chart; "${chart}" is a server chart.`);
    const fallback = String(chartDefaults.app?.['backendApiUrl'] ?? '');
    if (options.backendApiUrl === undefined) logger.warn(`--backendApiUrl not given: using the chart's default ${fallback}.`);
    values = serverValues(identity, checkHttpUrl('backendApiUrl', options.backendApiUrl ?? fallback));
  } else {
    if (options.backendApiUrl !== undefined) throw new GeneratorOptionError(`--backendApiUrl applies to server charts; "${chart}" is the client chart.`);
    values = clientValues(identity, checkHttpUrl('mcpServerUrl', options.mcpServerUrl ?? 'http://mcp-server:8000'));
  }
  validateChartValues(chart, schema, values);

  const path = `charts/environments/${environment}/${chart}-values.yaml`;
  if (tree.exists(path) && !options.overwrite) {
    throw new GeneratorOptionError(`${path} already exists: pass --overwrite to replace it.`);
  }
  return { chart, environment, shape, path, values };
}

/** Server charts configure a backend API; the client chart points at an MCP server. */
function valuesShape(chart: string, schema: AnySchemaObject): ValuesShape {
  const app = (schema['properties'] as Record<string, AnySchemaObject> | undefined)?.['app']?.['properties'] as Record<string, unknown> | undefined;
  if (app?.['backendApiUrl']) return 'server';
  if (app?.['mcpServerUrl']) return 'client';
  throw new GeneratorOptionError(
    `Chart "${chart}" has neither app.backendApiUrl (an MCP server chart) nor app.mcpServerUrl (the MCP client chart) in its values schema, ` +
      `so it has no guide values shape to write.`,
  );
}
