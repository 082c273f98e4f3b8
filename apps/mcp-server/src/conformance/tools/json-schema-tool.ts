import { Injectable } from '@nestjs/common';
import { McpTool } from '@mcp-platform/mcp-tools';
import { JsonSchema2020Input } from './json-schema-2020-12.input';

/** Conformance scenario `json-schema-2020-12` (SEP-1613): the published input schema keeps its 2020-12 keywords. */
@Injectable()
export class JsonSchemaTool {
  @McpTool({
    name: 'json_schema_2020_12_tool',
    description: 'Tool with JSON Schema 2020-12 features (conformance scenario json-schema-2020-12).',
    input: JsonSchema2020Input,
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  })
  describe(input: JsonSchema2020Input): string {
    return JSON.stringify(input);
  }
}
