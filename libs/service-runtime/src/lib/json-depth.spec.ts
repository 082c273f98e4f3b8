import fc from 'fast-check';
import { nestsDeeperThan } from './json-depth';

/** The definition, one character at a time: the reference the fast scan must agree with. */
function nestsDeeperThanByCharacter(raw: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i += 1) {
    const char = raw[i];
    if (inString) {
      if (char === '\\') i += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '[' || char === '{') {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (char === ']' || char === '}') depth -= 1;
  }
  return false;
}

describe('nestsDeeperThan', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(nestsDeeperThan('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(nestsDeeperThan('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(nestsDeeperThan(JSON.stringify({ text: '[[[[[[[[[[{{{{{{' }), 1)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify({ text: 'quote \\" then [[[[' }), 1)).toBe(false);
  });

  it('finds very deep nesting in one pass', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(nestsDeeperThan(deep, 64)).toBe(true);
    expect(nestsDeeperThan('[[1],[2],[3]]', 64)).toBe(false);
  });

  it('reads escaped quotes and runs of backslashes as JSON does', () => {
    expect(nestsDeeperThan('["a\\\\",[[1]]]', 2)).toBe(true);
    expect(nestsDeeperThan('["a\\\\\\"[[",1]', 1)).toBe(false);
    expect(nestsDeeperThan('["unterminated [[[[', 1)).toBe(false);
  });

  it('agrees with the character-by-character definition on any text of brackets, quotes and backslashes', () => {
    const text = fc.stringMatching(/^[[\]{}"\\a,:]{0,60}$/);
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 6 }), (raw, maxDepth) => nestsDeeperThan(raw, maxDepth) === nestsDeeperThanByCharacter(raw, maxDepth)),
      { numRuns: 5_000 },
    );
    fc.assert(
      fc.property(fc.json({ depthSize: 'medium' }), fc.integer({ min: 0, max: 8 }), (raw, maxDepth) => nestsDeeperThan(raw, maxDepth) === nestsDeeperThanByCharacter(raw, maxDepth)),
      { numRuns: 2_000 },
    );
  });
});
