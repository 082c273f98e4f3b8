import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/client';
import type { CallToolResult } from '@modelcontextprotocol/client';
import type { ValidateFunction } from 'ajv';
import type { CatalogueTool } from '../../discovery/catalogue';
import type { SchemaCompiler } from '../../schemas/schema-compiler';

type Compiled = { validate: ValidateFunction } | { compileError: unknown };

/**
 * The checks the SDK's `Client.callTool` makes around a call, with the same compiler (the
 * connection gives the SDK a LazyJsonSchemaValidator on it) and the same errors:
 * a tool whose output schema does not compile is refused before the call (on either path), and a
 * result of the direct path must carry structured content that matches it. Compiled once per
 * catalogue entry, on its first call.
 */
export class OutputSchemaCheck {
  private readonly compiled = new WeakMap<CatalogueTool, Compiled | undefined>();

  constructor(private readonly compiler: SchemaCompiler) {}

  /** Throws as the SDK does before sending when the tool's output schema does not compile. */
  assertCompiles(tool: CatalogueTool): void {
    const compiled = this.compile(tool);
    if (compiled && 'compileError' in compiled) {
      const error = compiled.compileError;
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 200);
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Tool '${tool.name}' has an invalid outputSchema: ${message}`);
    }
  }

  /** Throws as the SDK does when a result breaks the tool's output schema. */
  assertMatches(tool: CatalogueTool, result: CallToolResult): void {
    const compiled = this.compile(tool);
    if (!compiled || !('validate' in compiled) || result.isError) return;
    if (result.structuredContent === undefined) {
      throw new ProtocolError(ProtocolErrorCode.InvalidRequest, `Tool ${tool.name} has an output schema but did not return structured content`);
    }
    let valid: boolean;
    try {
      valid = compiled.validate(result.structuredContent) as boolean;
    } catch (error) {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Failed to validate structured content: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!valid) {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Structured content does not match the tool's output schema: ${this.compiler.errorsText(compiled.validate.errors)}`);
    }
  }

  private compile(tool: CatalogueTool): Compiled | undefined {
    if (this.compiled.has(tool)) return this.compiled.get(tool);
    let compiled: Compiled | undefined;
    if (tool.outputSchema) {
      try {
        compiled = { validate: this.compiler.compile(tool.outputSchema) };
      } catch (compileError) {
        compiled = { compileError };
      }
    }
    this.compiled.set(tool, compiled);
    return compiled;
  }
}
