/**
 * An error whose message is safe to show to the caller, such as "user 123 not found".
 * Anything else a tool throws is reported as an internal error and only logged.
 */
export class ToolError extends Error {
  override readonly name = 'ToolError';
  constructor(message: string) {
    super(message);
  }
}

/** A tool definition that cannot be served: a bad name, a duplicate, a DTO that is not a class. */
export class ToolDefinitionError extends Error {
  override readonly name = 'ToolDefinitionError';
}
