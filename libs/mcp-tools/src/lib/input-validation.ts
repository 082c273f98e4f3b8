import { Type } from '@nestjs/common';
import { Ajv, ValidateFunction } from 'ajv';
import { plainToInstance, TransformationType } from 'class-transformer';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, validate, ValidationError } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: MetadataStorage };

export type InputValidationResult<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/**
 * Validates tool arguments against the input DTO with the same rules the published schema states:
 * unknown properties are refused and nothing is coerced (no implicit conversion). What depends
 * only on the DTO class is worked out once, when the tool is registered, not per call.
 */
export class ToolInputValidator<T extends object> {
  /**
   * class-validator calls an object whose class declares no validated property an "unknown value",
   * which would make a tool without arguments (an empty DTO) uncallable. Such a DTO has nothing
   * nested, and any property sent is still refused by forbidNonWhitelisted.
   */
  private readonly forbidUnknownValues: boolean;
  /** Without class-transformer decorators, filling a new instance is what plainToInstance would do, at a fraction of the cost. */
  private readonly usesTransformer: boolean;

  /**
   * The published schema compiled once, where it accepts nothing class-validator refuses (see
   * hasFaithfulSchema): arguments it accepts skip class-validator, which was ~6% of a call's CPU
   * (`npm run bench -- --profile`). Whatever it refuses still goes to class-validator, whose
   * messages the caller gets; so do all arguments of DTOs with any other kind of constraint.
   */
  private acceptedBySchema?: ValidateFunction;
  /** Compiled on a tool's first call, not at start-up: ~2-5 ms per tool of cold start otherwise. */
  private schemaToCompile?: object;

  /** `publishedSchema`: the tool's input schema as `tools/list` states it (buildObjectSchema of the same DTO). */
  constructor(
    private readonly dto: Type<T>,
    publishedSchema?: object,
  ) {
    const metadata = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
    const properties = [...new Set(metadata.map((meta) => meta.propertyName))];
    this.forbidUnknownValues = properties.length > 0;
    this.usesTransformer = hasTransformerMetadata(dto, properties);
    if (publishedSchema && !this.usesTransformer && hasFaithfulSchema(metadata)) this.schemaToCompile = publishedSchema;
  }

  async validate(args: unknown): Promise<InputValidationResult<T>> {
    if (args === null || typeof args !== 'object' || Array.isArray(args)) {
      return { ok: false, problems: ['arguments must be a JSON object'] };
    }
    // JSON.parse makes "__proto__" an own key; class-validator's whitelist does not see it. An own
    // "constructor" would shadow the DTO's, which class-validator reads to find the rules (and
    // throws on when it is not a class).
    for (const key of SHADOWING_KEYS) {
      if (Object.hasOwn(args, key)) return { ok: false, problems: [`${key}: property ${key} should not exist`] };
    }
    if (this.schemaToCompile) {
      this.acceptedBySchema = schemaCompiler.compile(this.schemaToCompile);
      this.schemaToCompile = undefined;
    }
    if (this.acceptedBySchema?.(args)) return { ok: true, value: fill(new this.dto(), args) };
    const instance = this.usesTransformer ? plainToInstance(this.dto, args, { enableImplicitConversion: false }) : fill(new this.dto(), args);
    const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: this.forbidUnknownValues });
    return errors.length === 0 ? { ok: true, value: instance } : { ok: false, problems: describe(errors, '') };
  }
}

const SHADOWING_KEYS = ['__proto__', 'constructor'];

// Patterns without the u flag, as class-validator tests them. String lengths: ajv counts code
// points, class-validator code points less variation selectors (U+FE0E/F), so a schema
// maxLength is as strict or stricter. Stricter is safe, since refusals go on to class-validator;
// looser would not be.
// The schemas are ours (buildObjectSchema), so ajv need not check them against the JSON Schema
// meta-schema: doing so made the first compile ~25 ms of the cold start instead of ~2 ms.
const schemaCompiler = new Ajv({ strict: false, allErrors: false, unicodeRegExp: false, meta: false, validateSchema: false });

// Constraints the published schema states at least as strictly as class-validator checks them.
// Not minLength: the schema would accept "a\uFE0F" for a minimum of 2 where class-validator
// counts 1.
const FAITHFUL_CONSTRAINTS = new Set(['isString', 'isBoolean', 'isInt', 'isIn', 'isNotEmpty', 'maxLength', 'min', 'max', 'matches']);
// Each property needs one of these: alone, minLength or minimum says nothing of null or of other types.
const TYPE_CONSTRAINTS = new Set(['isString', 'isBoolean', 'isInt', 'isIn']);

/**
 * Whether the published schema accepts nothing class-validator refuses: flat DTOs whose every
 * constraint is in FAITHFUL_CONSTRAINTS (no nesting, arrays, groups, custom validators or
 * transforms), every property typed, patterns without flags. `@IsOptional()` is allowed: the
 * schema refuses the nulls it lets through, and those go on to class-validator.
 */
function hasFaithfulSchema(metadata: ValidationMetadata[]): boolean {
  if (metadata.length === 0) return false;
  const typed = new Set<string>();
  for (const meta of metadata) {
    if (meta.each || (meta.groups?.length ?? 0) > 0 || meta.always) return false;
    if (meta.type === 'conditionalValidation' && meta.name === 'isOptional') continue;
    if (meta.type !== 'customValidation' || !meta.name || !FAITHFUL_CONSTRAINTS.has(meta.name)) return false;
    if (meta.name === 'matches' && !isPlainPattern(meta.constraints)) return false;
    if (TYPE_CONSTRAINTS.has(meta.name)) typed.add(meta.propertyName);
  }
  return metadata.every((meta) => typed.has(meta.propertyName));
}

function isPlainPattern(constraints: unknown[] | undefined): boolean {
  const [pattern, modifiers] = constraints ?? [];
  return modifiers === undefined && (typeof pattern === 'string' || (pattern instanceof RegExp && pattern.flags === ''));
}

/** One-off validation (tests, callers without a registered tool). */
export function validateToolInput<T extends object>(dto: Type<T>, args: unknown): Promise<InputValidationResult<T>> {
  return new ToolInputValidator(dto).validate(args);
}

/**
 * Copies the arguments onto the instance as own properties. Plain assignment is safe: own
 * `__proto__` and `constructor` keys are refused before this (SHADOWING_KEYS), and DTOs declare
 * fields, not setters. defineProperty per key was measured at ~1 µs of a get_user_profile call.
 */
function fill<T extends object>(instance: T, args: object): T {
  return Object.assign(instance, args);
}

function hasTransformerMetadata(dto: Type<object>, properties: string[]): boolean {
  if (defaultMetadataStorage.getExposedMetadatas(dto).length > 0 || defaultMetadataStorage.getExcludedMetadatas(dto).length > 0) return true;
  return properties.some(
    (property) =>
      defaultMetadataStorage.findTypeMetadata(dto, property) !== undefined ||
      defaultMetadataStorage.findTransformMetadatas(dto, property, TransformationType.PLAIN_TO_CLASS).length > 0,
  );
}

function describe(errors: ValidationError[], parentPath: string): string[] {
  return errors.flatMap((error) => {
    const path = parentPath ? `${parentPath}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
    return [...own, ...describe(error.children ?? [], path)];
  });
}
