import { Type } from '@nestjs/common';
import { targetConstructorToSchema, validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';

// class-transformer exports its metadata storage only from an untyped subpath; class-validator-jsonschema
// needs it to follow @Type() into nested DTOs.
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: MetadataStorage };

export interface JsonSchemaObject {
  type: 'object';
  properties?: Record<string, object>;
  required?: string[];
  additionalProperties?: boolean;
  $defs?: Record<string, object>;
  [keyword: string]: unknown;
}

const REF_PREFIX = '#/$defs/';
const schemaOptions = { refPointerPrefix: REF_PREFIX, classTransformerMetadataStorage: defaultMetadataStorage };

/**
 * The JSON Schema of a class-validator DTO, as `tools/list` publishes it. The validator rejects
 * properties the DTO does not declare (`forbidNonWhitelisted`), so the schema says
 * `additionalProperties: false` at every level: published and enforced rules stay the same.
 */
export function buildObjectSchema(dto: Type<object>): JsonSchemaObject {
  const root = closeObject(targetConstructorToSchema(dto, schemaOptions) as Record<string, unknown>);
  const referenced = collectReferencedDefinitions(root);
  return referenced ? { ...root, $defs: referenced } : root;
}

function closeObject(schema: Record<string, unknown>): JsonSchemaObject {
  return { ...schema, type: 'object', properties: (schema['properties'] as Record<string, object>) ?? {}, additionalProperties: false };
}

function collectReferencedDefinitions(root: object): Record<string, object> | undefined {
  const names = new Set<string>();
  const pending = [...findRefs(root)];
  if (pending.length === 0) return undefined;
  const all = validationMetadatasToSchemas(schemaOptions) as Record<string, Record<string, unknown>>;
  const defs: Record<string, object> = {};
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (names.has(name) || !all[name]) continue;
    names.add(name);
    defs[name] = closeObject(all[name]);
    pending.push(...findRefs(all[name]));
  }
  return defs;
}

function findRefs(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(findRefs);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === '$ref' && typeof value === 'string' && value.startsWith(REF_PREFIX) ? [value.slice(REF_PREFIX.length)] : findRefs(value),
  );
}
