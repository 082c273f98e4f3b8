import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Pool } from 'undici';
import type { AccessToken } from '@azure/identity';
import { TokenProvider } from '@mcp-platform/azure-auth';
import { basicAuthorization } from '@mcp-platform/config';
import { CLIENT_IDLE_TIMEOUT_MS, PooledAnswer, pooledRequest, ResponseTooLargeError } from '@mcp-platform/service-runtime';
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

/**
 * GETs from the backend API with the Entra token for the configured scopes. One undici pool of
 * keep-alive connections to BACKEND_API_URL's origin for the process; every call is bounded by
 * BACKEND_API_TIMEOUT. Paths never leave that origin: the token is for this backend only.
 */
@Injectable()
export class BackendApiClient implements OnModuleDestroy {
  private readonly baseUrl: URL;
  private readonly basePath: string;
  private readonly timeoutMs: number;
  private pool?: Pool;
  /** `user:password@` of BACKEND_API_URL, sent as Basic credentials when there is no bearer token. */
  private readonly basicAuthorization?: string;
  /** The request headers for the current token: a token lasts about an hour, so they are built once per token. */
  private headers: Record<string, string>;
  private headersToken?: string;

  constructor(
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    private readonly tokens: TokenProvider,
  ) {
    this.baseUrl = new URL(config.BACKEND_API_URL.endsWith('/') ? config.BACKEND_API_URL : `${config.BACKEND_API_URL}/`);
    this.basePath = this.baseUrl.pathname;
    this.basicAuthorization = basicAuthorization(this.baseUrl);
    this.headers = this.headersWith(undefined);
    this.timeoutMs = config.BACKEND_API_TIMEOUT * 1000;
  }

  /** `path` is relative to BACKEND_API_URL and must already be encoded. */
  async get(path: string, signal?: AbortSignal): Promise<BackendResponse> {
    const requestPath = this.requestPath(path);
    const call = new BackendCall(this.timeoutMs, signal);
    try {
      // Token errors go to the caller as they are (the tool reports Entra's reason).
      const token = await this.tokens.getToken(this.config.AZURE_SCOPES, { abortSignal: call.signal });
      let answer: PooledAnswer;
      try {
        answer = await pooledRequest(this.connections(), { method: 'GET', path: requestPath, headers: this.headersFor(token), maxResponseBytes: MAX_BACKEND_RESPONSE_BYTES, signal: call.signal });
      } catch (error) {
        if (error instanceof ResponseTooLargeError) throw new BackendUnavailableError(`backend API answered more than ${MAX_BACKEND_RESPONSE_BYTES} bytes; refused`);
        if (call.timedOut) throw new BackendUnavailableError(`backend API did not answer within ${this.config.BACKEND_API_TIMEOUT} s`);
        if (call.cancelledByCaller) throw error;
        throw new BackendUnavailableError(`backend API unreachable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
      return { status: answer.status, body: parseJson(answer.body.toString('utf8')) };
    } finally {
      call.end();
    }
  }

  /**
   * A plain relative path is appended to the base path: `new URL()` per call was measured at a few
   * µs of a get_user_profile call (`npm run bench -- --profile`). Any other path is resolved by the
   * URL parser, and refused if it lands on another origin.
   */
  private requestPath(path: string): string {
    if (isPlainRelativePath(path)) return this.basePath + path;
    const url = new URL(path, this.baseUrl);
    if (url.origin !== this.baseUrl.origin) throw new Error(`backend path "${path}" resolves outside BACKEND_API_URL (${this.baseUrl.origin})`);
    return url.pathname + url.search;
  }

  /**
   * undici is loaded with the first call: evaluating it at start-up cost ~35 ms of the cold start
   * (`npm run bench`: 559-570 -> 589-600 ms, before the code cache), paid by processes whose first
   * call may not be a backend call. Its public entry point: with the code cache, bundling all of it
   * rather than its Pool alone does not move the cold start (380-391 ms either way).
   */
  private connections(): Pool {
    this.pool ??= new (require('undici') as typeof import('undici')).Pool(this.baseUrl.origin, {
      connections: 256,
      keepAliveTimeout: CLIENT_IDLE_TIMEOUT_MS,
      keepAliveMaxTimeout: CLIENT_IDLE_TIMEOUT_MS,
    });
    return this.pool;
  }

  /** The pool copies the headers into each request and never writes to this object, so one serves every call. */
  private headersFor(token: AccessToken | undefined): Record<string, string> {
    const value = token?.token;
    if (value !== this.headersToken) {
      this.headers = this.headersWith(value);
      this.headersToken = value;
    }
    return this.headers;
  }

  private headersWith(token: string | undefined): Record<string, string> {
    const authorization = token ? `Bearer ${token}` : this.basicAuthorization;
    return authorization ? { accept: 'application/json', authorization } : { accept: 'application/json' };
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool?.destroy();
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}
