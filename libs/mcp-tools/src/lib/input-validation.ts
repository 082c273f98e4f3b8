import { Type } from '@nestjs/common';
import { plainToInstance, TransformationType } from 'class-transformer';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, validate, ValidationError } from 'class-validator';

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

  constructor(private readonly dto: Type<T>) {
    const properties = [...new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).map((meta) => meta.propertyName))];
    this.forbidUnknownValues = properties.length > 0;
    this.usesTransformer = hasTransformerMetadata(dto, properties);
  }

  async validate(args: unknown): Promise<InputValidationResult<T>> {
    if (args === null || typeof args !== 'object' || Array.isArray(args)) {
      return { ok: false, problems: ['arguments must be a JSON object'] };
    }
    // JSON.parse makes "__proto__" an own key; class-validator's whitelist does not see it.
    if (Object.hasOwn(args, '__proto__')) return { ok: false, problems: ['__proto__: property __proto__ should not exist'] };
    const instance = this.usesTransformer ? plainToInstance(this.dto, args, { enableImplicitConversion: false }) : fill(new this.dto(), args);
    const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: this.forbidUnknownValues });
    return errors.length === 0 ? { ok: true, value: instance } : { ok: false, problems: describe(errors, '') };
  }
}

/** One-off validation (tests, callers without a registered tool). */
export function validateToolInput<T extends object>(dto: Type<T>, args: unknown): Promise<InputValidationResult<T>> {
  return new ToolInputValidator(dto).validate(args);
}

/**
 * Copies the arguments onto the instance as own properties. defineProperty, not assignment: a
 * JSON `"__proto__"` key must stay a (refused) property, never replace the instance's prototype.
 */
function fill<T extends object>(instance: T, args: object): T {
  for (const [key, value] of Object.entries(args)) {
    Object.defineProperty(instance, key, { value, writable: true, enumerable: true, configurable: true });
  }
  return instance;
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
