import { Injectable } from '@nestjs/common';
import { IsString, MaxLength } from 'class-validator';
import { McpTool } from '@mcp-platform/mcp-tools';

export class EchoInput {
  @IsString()
  @MaxLength(10_000)
  text!: string;
}

/** The benchmark's tool (`npm run bench`): no I/O, so a call measures the MCP path alone. */
@Injectable()
export class EchoTool {
  @McpTool({
    name: 'echo',
    description: 'Returns its text unchanged.',
    input: EchoInput,
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  })
  echo(input: EchoInput): string {
    return input.text;
  }
}
