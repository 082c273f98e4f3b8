import { Type } from 'class-transformer';
import { IsOptional, IsString, ValidateNested } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

export const JSON_SCHEMA_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

/**
 * The scenario looks for `$defs.address`, and the registry names each definition after its DTO
 * class, hence the lower-case class name.
 */
export class address {
  @IsOptional()
  @IsString()
  street?: string;

  @IsOptional()
  @IsString()
  city?: string;
}

/** Input of `json_schema_2020_12_tool`: `$schema`, a `$defs` reference and `additionalProperties: false`. */
// The decorator's schema type (OpenAPI) has no `$schema`, so it is merged into the generated schema instead.
@JSONSchema((schema) => Object.assign({}, schema, { $schema: JSON_SCHEMA_2020_12 }))
export class JsonSchema2020Input {
  @IsOptional()
  @IsString()
  name?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => address)
  address?: address;
}
