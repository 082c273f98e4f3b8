import { Injectable } from '@nestjs/common';
import { ProtocolErrorCode } from '@modelcontextprotocol/server';
import type { CallerConnection } from './caller-gone';
import { ToolRegistry, UnknownToolError } from './tool-registry';

export interface MessagesReply {
  status: number;
  body: unknown;
}

type JsonRpcId = string | number | null;

class MessageError extends Error {
  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
    readonly httpStatus: number,
  ) {
    super(message);
  }
}

/**
 * `POST /_mcp/messages`: a plain request/response face for callers that are not MCP clients, as
 * the deployment guide's curl uses it. A body with an `id` is treated as JSON-RPC 2.0 and answered
 * with a JSON-RPC response; the guide's short form (`{"method":"tools/call","params":{...}}`) is
 * answered with the bare result and an HTTP status that says what went wrong.
 */
@Injectable()
export class McpMessagesHandler {
  constructor(private readonly registry: ToolRegistry) {}

  /** `caller`: the caller's connection, whose closing aborts the tool call. */
  async handle(body: unknown, requestId?: string, caller?: CallerConnection): Promise<MessagesReply> {
    const envelope = isObject(body) && 'id' in body;
    // An id that is not a JSON-RPC id (an object, an array, a boolean) is never echoed back: JSON-RPC 2.0 answers such a request with id null.
    const id = envelope && isValidId(body['id']) ? (body['id'] as JsonRpcId) : null;
    try {
      const result = await this.dispatch(body, requestId, caller);
      return { status: 200, body: envelope ? { jsonrpc: '2.0', id, result } : result };
    } catch (error) {
      const failure = error instanceof MessageError ? error : new MessageError(ProtocolErrorCode.InternalError, 'Internal error', 500);
      const rpcError = { code: failure.code, message: failure.message };
      // The short form's refusal is the server's one error body too, with an HTTP status that says what went wrong.
      return envelope ? { status: 200, body: { jsonrpc: '2.0', id, error: rpcError } } : { status: failure.httpStatus, body: { jsonrpc: '2.0', error: rpcError, id: null } };
    }
  }

  private async dispatch(body: unknown, requestId?: string, caller?: CallerConnection): Promise<unknown> {
    if (!isObject(body)) throw new MessageError(ProtocolErrorCode.InvalidRequest, 'Invalid Request: the body must be a JSON object', 400);
    if ('jsonrpc' in body && body['jsonrpc'] !== '2.0') {
      throw new MessageError(ProtocolErrorCode.InvalidRequest, 'Invalid Request: "jsonrpc" must be "2.0"', 400);
    }
    if ('id' in body && !isValidId(body['id'])) {
      throw new MessageError(ProtocolErrorCode.InvalidRequest, 'Invalid Request: "id" must be a string or a number', 400);
    }
    const method = body['method'];
    if (typeof method !== 'string') throw new MessageError(ProtocolErrorCode.InvalidRequest, 'Invalid Request: "method" must be a string', 400);
    const params = body['params'] ?? {};
    if (!isObject(params)) throw new MessageError(ProtocolErrorCode.InvalidParams, 'Invalid params: "params" must be an object', 400);
    switch (method) {
      case 'tools/call':
        return this.callTool(params, requestId, caller);
      case 'tools/list':
        return { tools: this.registry.list() };
      case 'ping':
        return {};
      default:
        throw new MessageError(ProtocolErrorCode.MethodNotFound, `Method not found: ${method.slice(0, 100)}`, 404);
    }
  }

  private async callTool(params: Record<string, unknown>, requestId?: string, caller?: CallerConnection): Promise<unknown> {
    const name = params['name'];
    if (typeof name !== 'string') throw new MessageError(ProtocolErrorCode.InvalidParams, 'Invalid params: "name" must be a string', 400);
    try {
      return await this.registry.call(name, params['arguments'] ?? {}, { requestId, caller });
    } catch (error) {
      if (error instanceof UnknownToolError) throw new MessageError(ProtocolErrorCode.InvalidParams, error.message, 404);
      throw error;
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isValidId(value: unknown): boolean {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}
