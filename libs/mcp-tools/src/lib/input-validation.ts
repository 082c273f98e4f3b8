import { Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';

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
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  return errors.length === 0 ? { ok: true, value: instance } : { ok: false, problems: describe(errors, '') };
}

function describe(errors: ValidationError[], parentPath: string): string[] {
  return errors.flatMap((error) => {
    const path = parentPath ? `${parentPath}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
    return [...own, ...describe(error.children ?? [], path)];
  });
}
