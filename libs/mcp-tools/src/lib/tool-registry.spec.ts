import { Injectable, Logger, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Ajv } from 'ajv';
import { McpTool } from './mcp-tool.decorator';
import { McpToolsModule } from './mcp-tools.module';
import { ToolCallContext } from './tool-call-context';
import { ToolDefinitionError, ToolError } from './tool-error';
import { ToolRegistry, UnknownToolError } from './tool-registry';

class Address {
  @IsString()
  @IsNotEmpty()
  city!: string;
}

class SearchInput {
  @IsString()
  @MaxLength(20)
  @Matches(/^[a-z ]+$/)
  query!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;

  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: string;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  tags?: string[];

  @IsOptional()
  @ValidateNested()
  @Type(() => Address)
  near?: Address;
}

class SearchOutput {
  @IsInt()
  count!: number;
}

class EmptyInput {}

@Injectable()
class SampleTools {
  @McpTool({ name: 'search', description: 'Searches', input: SearchInput, output: SearchOutput, annotations: { readOnlyHint: true } })
  search(input: SearchInput): SearchOutput {
    return { count: input.limit ?? 10 };
  }

  @McpTool({ name: 'refuse', description: 'Always refuses', input: EmptyInput })
  refuse(): never {
    throw new ToolError('no, because reasons');
  }

  @McpTool({ name: 'crash', description: 'Has a bug', input: EmptyInput })
  crash(): never {
    throw new Error('secret internal detail at /srv/app.js:12');
  }

  @McpTool({ name: 'slow', description: 'Never ends on time', input: EmptyInput, timeoutMs: 50 })
  async slow(_input: EmptyInput, context: ToolCallContext): Promise<string> {
    await new Promise((resolve) => context.signal.addEventListener('abort', resolve));
    return 'too late';
  }

  @McpTool({ name: 'plain', description: 'Returns text', input: EmptyInput })
  plain(): string {
    return 'hello';
  }
}

@Module({ providers: [SampleTools] })
class SampleToolsModule {}

async function createRegistry(): Promise<ToolRegistry> {
  const moduleRef = await Test.createTestingModule({
    imports: [McpToolsModule.forRoot({ serverInfo: { name: 'test', version: '0' } }), SampleToolsModule],
  }).compile();
  moduleRef.useLogger(false);
  await moduleRef.init();
  return moduleRef.get(ToolRegistry);
}

describe('ToolRegistry', () => {
  let registry: ToolRegistry;

  beforeAll(async () => {
    registry = await createRegistry();
  });

  it('discovers every @McpTool method of the providers', () => {
    expect(registry.list().map((tool) => tool.name).sort()).toEqual(['crash', 'plain', 'refuse', 'search', 'slow']);
  });

  it('publishes input and output schemas generated from the DTOs', () => {
    const search = registry.list().find((tool) => tool.name === 'search');
    expect(search).toMatchObject({
      annotations: { readOnlyHint: true },
      inputSchema: {
        type: 'object',
        required: ['query'],
        additionalProperties: false,
        properties: { query: { type: 'string', maxLength: 20 }, limit: { type: 'integer', minimum: 1, maximum: 50 } },
      },
      outputSchema: { type: 'object', required: ['count'] },
    });
  });

  it('enforces exactly the schema it publishes', async () => {
    const search = registry.list().find((tool) => tool.name === 'search');
    const publishedSchemaAccepts = new Ajv({ strict: false }).compile(search?.inputSchema as object);
    const candidates: unknown[] = [
      { query: 'books' },
      { query: 'books', limit: 5, order: 'asc', tags: ['a', 'b'], near: { city: 'Leeds' } },
      {},
      { query: 7 },
      { query: 'UPPER' },
      { query: 'x'.repeat(21) },
      { query: 'books', limit: 0 },
      { query: 'books', limit: 51 },
      { query: 'books', limit: 2.5 },
      { query: 'books', limit: '5' },
      { query: 'books', order: 'sideways' },
      { query: 'books', tags: 'a' },
      { query: 'books', tags: [1] },
      { query: 'books', near: { city: '' } },
      { query: 'books', near: {} },
      { query: 'books', near: { city: 'Leeds', zip: 'LS1' } },
      { query: 'books', unexpected: true },
    ];
    for (const args of candidates) {
      const result = await registry.call('search', args);
      const enforced = result.isError !== true;
      expect({ args, accepted: enforced }).toEqual({ args, accepted: publishedSchemaAccepts(args) });
    }
  });

  it('names every failing field', async () => {
    const result = await registry.call('search', { query: 7, limit: 0, extra: 1 });
    const text = (result.content[0] as { text: string }).text;
    expect(result.isError).toBe(true);
    expect(text).toMatch(/^Invalid arguments for tool search: /);
    expect(text).toMatch(/query: query must be a string/);
    expect(text).toMatch(/limit: limit must not be less than 1/);
    expect(text).toMatch(/extra: property extra should not exist/);
  });

  it('returns the output DTO as structured content and as text', async () => {
    const result = await registry.call('search', { query: 'books', limit: 3 });
    expect(result).toEqual({ content: [{ type: 'text', text: '{"count":3}' }], structuredContent: { count: 3 } });
  });

  it('wraps a plain string result in text content', async () => {
    expect(await registry.call('plain', {})).toEqual({ content: [{ type: 'text', text: 'hello' }] });
  });

  it('refuses a "__proto__" argument as an unknown property instead of letting it swap the prototype', async () => {
    for (const [tool, args] of [['plain', '{"__proto__":{"polluted":true}}'], ['search', '{"query":"books","__proto__":{"polluted":true}}']]) {
      const result = await registry.call(tool, JSON.parse(args));
      expect(result.isError).toBe(true);
      expect((result.content[0] as { text: string }).text).toMatch(/__proto__: property __proto__ should not exist/);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('accepts no arguments for a tool without inputs, and refuses unexpected ones', async () => {
    expect((await registry.call('plain', undefined)).isError).toBeUndefined();
    const refused = await registry.call('plain', { x: 1 });
    expect(refused).toEqual({ isError: true, content: [{ type: 'text', text: 'Invalid arguments for tool plain: x: property x should not exist' }] });
  });

  it('passes a ToolError message to the caller', async () => {
    expect(await registry.call('refuse', {})).toEqual({ isError: true, content: [{ type: 'text', text: 'no, because reasons' }] });
  });

  it('hides the details of an unexpected exception from the caller but logs them', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const result = await registry.call('crash', {}, { requestId: 'req-9' });
    expect(result).toEqual({ isError: true, content: [{ type: 'text', text: 'Tool crash failed with an internal error (request id req-9)' }] });
    expect(JSON.stringify(logged.mock.calls)).toContain('req-9');
    logged.mockRestore();
  });

  it('bounds a slow tool by its timeout and aborts its signal', async () => {
    const started = performance.now();
    const result = await registry.call('slow', {});
    expect(result).toEqual({ isError: true, content: [{ type: 'text', text: 'Tool slow timed out after 50 ms' }] });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('throws UnknownToolError for a name it does not have', async () => {
    await expect(registry.call('nope', {})).rejects.toBeInstanceOf(UnknownToolError);
  });

  it('refuses a duplicate or malformed tool name at registration', () => {
    const handler = () => 'x';
    expect(() => registry.register({ name: 'plain', description: '', input: EmptyInput }, handler)).toThrow(ToolDefinitionError);
    expect(() => registry.register({ name: 'has space', description: '', input: EmptyInput }, handler)).toThrow(/not a valid MCP tool name/);
    expect(() => registry.register({ name: 'x'.repeat(129), description: '', input: EmptyInput }, handler)).toThrow(ToolDefinitionError);
  });

  it('announces catalogue changes and serves tools added at run time', async () => {
    const changes: string[][] = [];
    const stop = registry.onChange(() => changes.push(registry.list().map((tool) => tool.name)));
    registry.register({ name: 'late.tool', description: 'added later', input: EmptyInput }, () => 'late');
    expect(await registry.call('late.tool', {})).toEqual({ content: [{ type: 'text', text: 'late' }] });
    expect(registry.unregister('late.tool')).toBe(true);
    stop();
    expect(changes).toHaveLength(2);
    expect(changes[0]).toContain('late.tool');
    expect(changes[1]).not.toContain('late.tool');
  });
});
