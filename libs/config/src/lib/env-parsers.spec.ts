import { parseBoolean, parseList, parseLogLevel, parseNumber } from './env-parsers';

describe('environment parsers', () => {
  it('read numbers, keeping text that is not one so the validator can name it', () => {
    expect(parseNumber('8000', 1)).toBe(8000);
    expect(parseNumber('0.5', 1)).toBe(0.5);
    expect(parseNumber(undefined, 7)).toBe(7);
    expect(parseNumber(' ', 7)).toBe(' ');
    expect(parseNumber('ten', 7)).toBe('ten');
  });

  it('read booleans in the spellings charts and shells use', () => {
    expect(['true', 'TRUE', '1', 'yes'].map((value) => parseBoolean(value, false))).toEqual([true, true, true, true]);
    expect(['false', 'False', '0', 'no'].map((value) => parseBoolean(value, true))).toEqual([false, false, false, false]);
    expect(parseBoolean(undefined, true)).toBe(true);
    expect(parseBoolean('maybe', true)).toBe('maybe');
  });

  it('read comma- or space-separated lists', () => {
    expect(parseList('a, b  c,,d')).toEqual(['a', 'b', 'c', 'd']);
    expect(parseList(undefined)).toEqual([]);
  });

  it('map Python-style level names to pino levels', () => {
    expect(['INFO', 'WARNING', 'Critical', 'off', undefined].map(parseLogLevel)).toEqual(['info', 'warn', 'fatal', 'silent', 'info']);
  });
});
