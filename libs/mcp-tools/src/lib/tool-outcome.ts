/** How a call ended; the label of the per-tool metrics. */
export type ToolOutcome = 'success' | 'tool_error' | 'invalid_arguments' | 'timeout' | 'internal_error' | 'unknown_tool' | 'result_too_large' | 'cancelled';
