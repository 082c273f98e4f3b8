/** A generator refused its options: the CLI prints the message, and nothing is written. */
export class GeneratorOptionError extends Error {
  override readonly name = 'GeneratorOptionError';
}
