import { Ajv, AnySchemaObject, ErrorObject } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019';
import { Ajv2020 } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { GeneratorOptionError } from '../../utils/generator-option-error';

/** The generator option that sets each value, so a schema failure names what to change. */
const OPTION_FOR_PATH: Record<string, string> = {
  '/azure/tenantId': '--tenantId',
  '/azure/clientId': '--clientId',
  '/image/repository': '--registry',
  '/image/tag': '--imageTag',
  '/app/backendApiUrl': '--backendApiUrl',
  '/app/mcpServerUrl': '--mcpServerUrl',
};

/** Validates values as `helm install` would, with the draft the chart's schema declares. */
export function validateChartValues(chart: string, schema: AnySchemaObject, values: object): void {
  const ajv = ajvFor(schema);
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (validate(values)) return;
  const problems = (validate.errors ?? []).map(describe);
  throw new GeneratorOptionError(`charts/${chart}/values.schema.json rejects the values:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
}

function ajvFor(schema: AnySchemaObject): Ajv {
  const declared = String(schema['$schema'] ?? '');
  // strict: false because chart schemas may carry annotations ajv does not know (helm ignores them too).
  const options = { allErrors: true, strict: false };
  if (declared.includes('2020-12')) return new Ajv2020(options);
  if (declared.includes('2019-09')) return new Ajv2019(options);
  return new Ajv(options);
}

function describe(error: ErrorObject): string {
  const path = error.instancePath || '/';
  const option = OPTION_FOR_PATH[error.instancePath];
  const extra = error.keyword === 'additionalProperties' ? ` ('${(error.params as { additionalProperty: string }).additionalProperty}')` : '';
  return `${path} ${error.message ?? 'is invalid'}${extra}${option ? ` (set by ${option})` : ''}`;
}
