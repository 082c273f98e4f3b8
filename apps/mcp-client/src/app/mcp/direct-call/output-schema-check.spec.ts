import type { CatalogueTool } from '../../discovery/catalogue';
import { SchemaCompiler } from '../../schemas/schema-compiler';
import { OutputSchemaCheck } from './output-schema-check';

const EVIL_PATTERN = '^(a|a)*$';
// A backtracking engine takes about 2^n steps on n a's followed by a b: these would not finish.
const EVIL_INPUT = `${'a'.repeat(64)}b`;

const tool = (outputSchema: Record<string, unknown>): CatalogueTool => ({ name: 'reports', description: '', inputSchema: { type: 'object' }, outputSchema });
const evilOutput = tool({ type: 'object', properties: { text: { type: 'string', pattern: EVIL_PATTERN } }, patternProperties: { [EVIL_PATTERN]: { type: 'string' } } });
const result = (structuredContent: Record<string, unknown>) => ({ content: [], structuredContent });

describe('OutputSchemaCheck', () => {
  const check = new OutputSchemaCheck(new SchemaCompiler());

  it('runs a published catastrophic pattern in linear time, in pattern and patternProperties', () => {
    expect(() => check.assertMatches(evilOutput, result({ text: EVIL_INPUT }))).toThrow(`Structured content does not match the tool's output schema: data/text must match pattern "${EVIL_PATTERN}"`);
    expect(() => check.assertMatches(evilOutput, result({ text: 'aaaa', [EVIL_INPUT]: 1 }))).not.toThrow();
  });

  it('refuses, before the call, an output schema with a pattern RE2 cannot run in linear time', () => {
    expect(() => check.assertCompiles(tool({ type: 'object', properties: { text: { type: 'string', pattern: '^(a+)\\1$' } } }))).toThrow(
      /Tool 'reports' has an invalid outputSchema/,
    );
  });
});
