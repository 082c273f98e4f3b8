import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/client';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv';
import type { CatalogueTool } from '../../discovery/catalogue';

type Validate = ReturnType<AjvJsonSchemaValidator['getValidator']>;
type Compiled = { validate: Validate } | { compileError: unknown };

/**
 * The checks the SDK's `Client.callTool` makes around a call, with the same validator (its
 * default AjvJsonSchemaValidator) and the same errors, for calls the direct path makes: a tool
 * whose output schema does not compile is refused before the call, and a result must carry
 * structured content that matches it. Compiled once per catalogue entry.
 */
export class OutputSchemaCheck {
  private readonly validator = new AjvJsonSchemaValidator();
  private readonly compiled = new WeakMap<CatalogueTool, Compiled | undefined>();

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
    let outcome: ReturnType<Validate>;
    try {
      outcome = compiled.validate(result.structuredContent);
    } catch (error) {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Failed to validate structured content: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!outcome.valid) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Structured content does not match the tool's output schema: ${outcome.errorMessage}`);
  }

  private compile(tool: CatalogueTool): Compiled | undefined {
    if (this.compiled.has(tool)) return this.compiled.get(tool);
    let compiled: Compiled | undefined;
    if (tool.outputSchema) {
      try {
        compiled = { validate: this.validator.getValidator(tool.outputSchema as Parameters<AjvJsonSchemaValidator['getValidator']>[0]) };
      } catch (compileError) {
        compiled = { compileError };
      }
    }
    this.compiled.set(tool, compiled);
    return compiled;
  }
}
