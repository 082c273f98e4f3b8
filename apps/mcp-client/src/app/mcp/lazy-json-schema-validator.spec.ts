import { SchemaCompiler } from '../schemas/schema-compiler';
import { LazyJsonSchemaValidator } from './lazy-json-schema-validator';

const EVIL_PATTERN = '^(a|a)*$';
// A backtracking engine takes about 2^n steps on n a's followed by a b: this would not finish.
const EVIL_INPUT = `${'a'.repeat(64)}b`;
const schema = { type: 'object', properties: { text: { type: 'string', pattern: EVIL_PATTERN } } };

describe('LazyJsonSchemaValidator (the SDK client’s validator)', () => {
  it('compiles on the first validation only, and runs patterns in linear time', () => {
    const compiler = new SchemaCompiler();
    const compile = jest.spyOn(compiler, 'compile');
    const validate = new LazyJsonSchemaValidator(compiler).getValidator(schema as never);
    expect(compile).not.toHaveBeenCalled();
    expect(validate({ text: EVIL_INPUT })).toEqual({ valid: false, data: undefined, errorMessage: `data/text must match pattern "${EVIL_PATTERN}"` });
    expect(validate({ text: 'aa' })).toEqual({ valid: true, data: { text: 'aa' }, errorMessage: undefined });
    expect(compile).toHaveBeenCalledTimes(1);
  });
});
