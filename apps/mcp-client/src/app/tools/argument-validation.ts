import type { ErrorObject, ValidateFunction } from 'ajv';
import type { CatalogueTool } from '../discovery/catalogue';
import type { SchemaCompiler } from '../schemas/schema-compiler';

/** One failing argument: `field` is a dotted path into the arguments (`address.city`, `tags[0]`), '' for the whole object. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** A tool's compiled input check. */
export type ArgumentCheck = (args: unknown) => FieldProblem[];

/** Called once per tool whose published schema ajv refused, with ajv's reason. */
export type UncompiledListener = (tool: string, reason: string) => void;

const UNCOMPILED = Symbol('uncompiled');

/**
 * The argument checks of one catalogue version. A tool's schema is compiled on its first call, not
 * when the catalogue arrives: a catalogue of 3,000 tools compiled up front held the event loop for
 * a minute. A schema that does not compile affects only its own tool, whose calls go to the server
 * unchecked (the server validates them itself).
 */
export class CatalogueChecks {
  private readonly checks = new Map<string, ArgumentCheck | typeof UNCOMPILED>();

  constructor(
    private readonly tools: ReadonlyMap<string, CatalogueTool>,
    private readonly compiler: SchemaCompiler,
    private readonly onUncompiled: UncompiledListener = () => undefined,
  ) {}

  /** The tool's check; undefined for a tool not in the catalogue or whose schema does not compile. */
  checkFor(name: string): ArgumentCheck | undefined {
    let check = this.checks.get(name);
    if (check === undefined) {
      const tool = this.tools.get(name);
      if (!tool) return undefined;
      check = this.compile(tool);
      this.checks.set(name, check);
    }
    return check === UNCOMPILED ? undefined : check;
  }

  private compile(tool: CatalogueTool): ArgumentCheck | typeof UNCOMPILED {
    try {
      return checkWith(this.compiler.compile(tool.inputSchema));
    } catch (error) {
      this.onUncompiled(tool.name, error instanceof Error ? error.message : String(error));
      return UNCOMPILED;
    }
  }
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
