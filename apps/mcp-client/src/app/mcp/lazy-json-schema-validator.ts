import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/client';
import type { ValidateFunction } from 'ajv';
import type { SchemaCompiler } from '../schemas/schema-compiler';

/**
 * The SDK client's JSON Schema validator (it checks a tool's structured content against its output
 * schema): the process's SchemaCompiler, so patterns a server publishes run in linear time, each
 * schema compiled when first used. The SDK asks for a validator for every listed tool at the first
 * call after each listing; compiling them all there held the event loop for as many compiles.
 */
export class LazyJsonSchemaValidator implements jsonSchemaValidator {
  constructor(private readonly compiler: SchemaCompiler) {}

  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    let validate: ValidateFunction | undefined;
    return (input) => {
      validate ??= this.compiler.compile(schema as Record<string, unknown>);
      return validate(input)
        ? { valid: true, data: input as T, errorMessage: undefined }
        : { valid: false, data: undefined, errorMessage: this.compiler.errorsText(validate.errors) };
    };
  }
}
