import { Injectable } from '@nestjs/common';
import { McpTool, ToolError } from '@mcp-platform/mcp-tools';
import { NoArguments } from './no-arguments.input';

/** Conformance scenario `tools-call-error`: the failure must come back as a tool result with `isError: true`. */
@Injectable()
export class ErrorTool {
  @McpTool({
    name: 'test_error_handling',
    description: 'Always fails with a tool error (conformance scenario tools-call-error).',
    input: NoArguments,
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  })
  errorHandling(): never {
    throw new ToolError('This tool intentionally returns an error for testing');
  }
}
