/** What a tool handler gets besides its input. */
export interface ToolCallContext {
  /** Aborted when the per-tool timeout fires or the caller goes away; pass it to outbound I/O. */
  readonly signal: AbortSignal;
  readonly toolName: string;
  /** The request id of the HTTP request that carried the call, when there is one. */
  readonly requestId?: string;
}
