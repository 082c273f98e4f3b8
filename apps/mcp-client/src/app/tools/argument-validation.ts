import { Ajv, ErrorObject, Options, ValidateFunction } from 'ajv';
import type AjvCore from 'ajv/dist/core';
import { Ajv2019 } from 'ajv/dist/2019';
import { Ajv2020 } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { CatalogueTool } from '../discovery/catalogue';

/** One failing argument: `field` is a dotted path into the arguments (`address.city`, `tags[0]`), '' for the whole object. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** A tool's compiled input check; `undefined` when its schema could not be compiled (the server still validates). */
export type ArgumentCheck = (args: unknown) => FieldProblem[];

export interface CompiledCatalogue {
  checks: Map<string, ArgumentCheck>;
  /** Tools whose published schema ajv refused, with ajv's reason. */
  uncompiled: Array<{ tool: string; reason: string }>;
}

const AJV_OPTIONS: Options = {
  allErrors: true,
  // Published schemas carry keywords ajv does not know (titles in other vocabularies, x-*): accept them.
  strict: false,
  // Two tools may publish schemas with the same $id; none is registered, so they cannot collide.
  addUsedSchema: false,
  validateFormats: true,
};

/**
 * Compiles every tool's published input schema once, for one catalogue version. The dialect is
 * the schema's `$schema`: JSON Schema 2020-12 when it names none (MCP's default since 2025-11-25),
 * draft-07 and 2019-09 when named. Every tool gets its own ajv instance of its dialect, so a
 * schema that fails to compile affects only its own tool.
 */
export function compileCatalogue(tools: readonly CatalogueTool[]): CompiledCatalogue {
  const checks = new Map<string, ArgumentCheck>();
  const uncompiled: CompiledCatalogue['uncompiled'] = [];
  for (const tool of tools) {
    try {
      const validate = ajvFor(tool.inputSchema).compile(tool.inputSchema);
      checks.set(tool.name, checkWith(validate));
    } catch (error) {
      uncompiled.push({ tool: tool.name, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { checks, uncompiled };
}

function ajvFor(schema: Record<string, unknown>): AjvCore {
  const dialect = typeof schema['$schema'] === 'string' ? schema['$schema'] : '';
  const ajv = /draft-0[67]/.test(dialect) ? new Ajv(AJV_OPTIONS) : /2019-09/.test(dialect) ? new Ajv2019(AJV_OPTIONS) : new Ajv2020(AJV_OPTIONS);
  addFormats(ajv as Ajv);
  return ajv;
}

function checkWith(validate: ValidateFunction): ArgumentCheck {
  return (args) => {
    if (args === null || typeof args !== 'object' || Array.isArray(args)) {
      return [{ field: '', message: 'the arguments must be a JSON object' }];
    }
    return validate(args) ? [] : describeAjvErrors(validate.errors ?? []);
  };
}

/** ajv's errors as one problem per field, in words a caller reads: `user_id: must match pattern "^[a-z]+$"`. */
export function describeAjvErrors(errors: readonly ErrorObject[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    // The branches of a failed anyOf/oneOf are reported one by one; their summary adds nothing.
    if (error.keyword === 'if') continue;
    const problem = describe(error);
    const key = `${problem.field}\u0000${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

function describe(error: ErrorObject): FieldProblem {
  const at = pathOf(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { field: join(at, String(params['missingProperty'])), message: 'is required' };
    case 'additionalProperties':
      return { field: join(at, String(params['additionalProperty'])), message: 'is not allowed' };
    case 'unevaluatedProperties':
      return { field: join(at, String(params['unevaluatedProperty'])), message: 'is not allowed' };
    case 'enum':
      return { field: at, message: `must be one of ${(params['allowedValues'] as unknown[]).map((value) => JSON.stringify(value)).join(', ')}` };
    default:
      return { field: at, message: error.message ?? `fails ${error.keyword}` };
  }
}

/** `/address/city` -> `address.city`, `/tags/0` -> `tags[0]`; JSON Pointer escapes undone. */
function pathOf(instancePath: string): string {
  if (!instancePath) return '';
  return instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : join(path, segment)), '');
}

function join(path: string, property: string): string {
  return path ? `${path}.${property}` : property;
}

/** The problems as one sentence, for the `message` of a 400. */
export function summarize(tool: string, problems: readonly FieldProblem[]): string {
  const parts = problems.map((problem) => (problem.field ? `${problem.field} ${problem.message}` : problem.message));
  return `invalid arguments for ${tool}: ${parts.join('; ')}`;
}
