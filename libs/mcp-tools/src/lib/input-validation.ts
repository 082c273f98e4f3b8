import { Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate, ValidationError } from 'class-validator';

export type InputValidationResult<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/**
 * Validates tool arguments against the input DTO with the same rules the published schema states:
 * unknown properties are refused and nothing is coerced (no implicit conversion).
 */
export async function validateToolInput<T extends object>(dto: Type<T>, args: unknown): Promise<InputValidationResult<T>> {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    return { ok: false, problems: ['arguments must be a JSON object'] };
  }
  const instance = plainToInstance(dto, args, { enableImplicitConversion: false });
  // class-validator calls an object whose class declares no validated property an "unknown value",
  // which would make a tool without arguments (an empty DTO) uncallable. Such a DTO has nothing
  // nested, and any property sent is still refused by forbidNonWhitelisted.
  const forbidUnknownValues = declaresProperties(dto);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues });
  return errors.length === 0 ? { ok: true, value: instance } : { ok: false, problems: describe(errors, '') };
}

function declaresProperties(dto: Type<object>): boolean {
  return getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).length > 0;
}

function describe(errors: ValidationError[], parentPath: string): string[] {
  return errors.flatMap((error) => {
    const path = parentPath ? `${parentPath}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
    return [...own, ...describe(error.children ?? [], path)];
  });
}
