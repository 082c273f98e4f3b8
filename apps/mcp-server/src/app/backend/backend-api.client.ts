import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import http from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';
import type { AccessToken } from '@azure/identity';
import { TokenProvider } from '@mcp-platform/azure-auth';
import { SERVER_CONFIG } from '../config/server-config.provider';
import { ServerConfig } from '../config/server-config';
import { BackendCall } from './backend-call';
import { isPlainRelativePath } from './backend-path';

export interface BackendResponse {
  status: number;
  body: unknown;
}

/** The backend failed in a way the caller may be told about: timeout, connection refused, an oversized answer. */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
}

/** Larger backend answers are refused while they stream in, never buffered whole. */
export const MAX_BACKEND_RESPONSE_BYTES = 1024 * 1024;

class ResponseTooLargeError extends Error {}

/** Where every request goes: BACKEND_API_URL taken apart once, not parsed again per call. */
type BackendTarget = Pick<http.RequestOptions, 'protocol' | 'hostname' | 'port' | 'auth'>;

/**
 * GETs from the backend API with the Entra token for the configured scopes. One keep-alive agent
 * for the process, so calls reuse connections; every call is bounded by BACKEND_API_TIMEOUT.
 */
@Injectable()
export class BackendApiClient implements OnModuleDestroy {
  private readonly baseUrl: URL;
  private readonly target: BackendTarget;
  private readonly basePath: string;
  private readonly timeoutMs: number;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;
  /** The request headers for the current token: a token lasts about an hour, so they are built once per token. */
  private headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
  private headersToken?: string;

  constructor(
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    private readonly tokens: TokenProvider,
  ) {
    this.baseUrl = new URL(config.BACKEND_API_URL.endsWith('/') ? config.BACKEND_API_URL : `${config.BACKEND_API_URL}/`);
    const { protocol, hostname, port, auth } = urlToHttpOptions(this.baseUrl);
    this.target = { protocol, hostname, port, ...(auth ? { auth } : {}) };
    this.basePath = this.baseUrl.pathname;
    this.timeoutMs = config.BACKEND_API_TIMEOUT * 1000;
    this.transport = this.baseUrl.protocol === 'https:' ? https : http;
    this.agent = new this.transport.Agent({ keepAlive: true, maxSockets: 256 });
  }

  /** `path` is relative to BACKEND_API_URL and must already be encoded. */
  async get(path: string, signal?: AbortSignal): Promise<BackendResponse> {
    const call = new BackendCall(this.timeoutMs, signal);
    try {
      // Token errors go to the caller as they are (the tool reports Entra's reason).
      const token = await this.tokens.getToken(this.config.AZURE_SCOPES, { abortSignal: call.signal });
      const options = this.requestOptions(path, token);
      try {
        return await this.request(options, call);
      } catch (error) {
        if (error instanceof ResponseTooLargeError) throw new BackendUnavailableError(`backend API answered more than ${MAX_BACKEND_RESPONSE_BYTES} bytes; refused`);
        if (call.timedOut) throw new BackendUnavailableError(`backend API did not answer within ${this.config.BACKEND_API_TIMEOUT} s`);
        if (call.cancelledByCaller) throw error;
        throw new BackendUnavailableError(`backend API unreachable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
    } finally {
      call.end();
    }
  }

  /**
   * A plain relative path is appended to the base path: `new URL()` per call, and Node's conversion
   * of a URL into request options, were measured at ~5 µs of a get_user_profile call (`npm run
   * bench -- --profile`). Any other path is resolved by the URL parser, as before.
   */
  private requestOptions(path: string, token: AccessToken | undefined): http.RequestOptions {
    const headers = this.headersFor(token);
    if (isPlainRelativePath(path)) return { ...this.target, path: this.basePath + path, agent: this.agent, headers };
    return { ...urlToHttpOptions(new URL(path, this.baseUrl)), agent: this.agent, headers };
  }

  /** Node copies the headers into each request and never writes to this object, so one serves every call. */
  private headersFor(token: AccessToken | undefined): http.OutgoingHttpHeaders {
    const value = token?.token;
    if (value !== this.headersToken) {
      this.headers = value ? { accept: 'application/json', authorization: `Bearer ${value}` } : { accept: 'application/json' };
      this.headersToken = value;
    }
    return this.headers;
  }

  private request(options: http.RequestOptions, call: BackendCall): Promise<BackendResponse> {
    return new Promise((resolve, reject) => {
      const req = this.transport.get(options, (res) => {
        if (Number(res.headers['content-length']) > MAX_BACKEND_RESPONSE_BYTES) return req.destroy(new ResponseTooLargeError());
        readBody(res, () => req.destroy(new ResponseTooLargeError()), reject, (text) => resolve({ status: res.statusCode ?? 0, body: parseJson(text) }));
      });
      call.attach(req);
      req.on('error', reject);
    });
  }

  onModuleDestroy(): void {
    this.agent.destroy();
  }
}

/** Collects the body up to MAX_BACKEND_RESPONSE_BYTES; a body in one chunk (the usual case) is decoded without a copy. */
function readBody(res: http.IncomingMessage, refuse: () => void, fail: (error: Error) => void, done: (text: string) => void): void {
  let first: Buffer | undefined;
  let more: Buffer[] | undefined;
  let size = 0;
  res.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BACKEND_RESPONSE_BYTES) refuse();
    else if (first === undefined) first = chunk;
    else (more ??= [first]).push(chunk);
  });
  res.on('end', () => done(more ? Buffer.concat(more).toString('utf8') : (first?.toString('utf8') ?? '')));
  res.on('error', fail);
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}
