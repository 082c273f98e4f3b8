import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import http from 'node:http';
import https from 'node:https';
import { TokenProvider } from '@mcp-platform/azure-auth';
import { SERVER_CONFIG } from '../config/server-config.provider';
import { ServerConfig } from '../config/server-config';

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

/**
 * GETs from the backend API with the Entra token for the configured scopes. One keep-alive agent
 * for the process, so calls reuse connections; every call is bounded by BACKEND_API_TIMEOUT.
 */
@Injectable()
export class BackendApiClient implements OnModuleDestroy {
  private readonly baseUrl: URL;
  private readonly timeoutMs: number;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;

  constructor(
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    private readonly tokens: TokenProvider,
  ) {
    this.baseUrl = new URL(config.BACKEND_API_URL.endsWith('/') ? config.BACKEND_API_URL : `${config.BACKEND_API_URL}/`);
    this.timeoutMs = config.BACKEND_API_TIMEOUT * 1000;
    this.transport = this.baseUrl.protocol === 'https:' ? https : http;
    this.agent = new this.transport.Agent({ keepAlive: true, maxSockets: 256 });
  }

  /** `path` is relative to BACKEND_API_URL and must already be encoded. */
  async get(path: string, signal?: AbortSignal): Promise<BackendResponse> {
    const url = new URL(path, this.baseUrl);
    // One controller for the deadline and the caller's cancellation: AbortSignal.timeout() plus
    // AbortSignal.any() per call cost ~10% of a get_user_profile call (npm run bench -- --profile).
    const call = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      call.abort(new Error('deadline'));
    }, this.timeoutMs);
    const cancel = () => call.abort(signal?.reason);
    signal?.addEventListener('abort', cancel, { once: true });
    if (signal?.aborted) cancel();
    try {
      // Token errors go to the caller as they are (the tool reports Entra's reason).
      const token = await this.tokens.getToken(this.config.AZURE_SCOPES, { abortSignal: call.signal });
      const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
      if (token) headers['authorization'] = `Bearer ${token.token}`;
      try {
        return await this.request(url, headers, call.signal);
      } catch (error) {
        if (error instanceof ResponseTooLargeError) throw new BackendUnavailableError(`backend API answered more than ${MAX_BACKEND_RESPONSE_BYTES} bytes; refused`);
        if (timedOut) throw new BackendUnavailableError(`backend API did not answer within ${this.config.BACKEND_API_TIMEOUT} s`);
        if (signal?.aborted) throw error;
        throw new BackendUnavailableError(`backend API unreachable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
    }
  }

  private request(url: URL, headers: http.OutgoingHttpHeaders, signal: AbortSignal): Promise<BackendResponse> {
    return new Promise((resolve, reject) => {
      const req = this.transport.get(url, { agent: this.agent, headers, signal }, (res) => {
        if (Number(res.headers['content-length']) > MAX_BACKEND_RESPONSE_BYTES) return req.destroy(new ResponseTooLargeError());
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BACKEND_RESPONSE_BYTES) req.destroy(new ResponseTooLargeError());
          else chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: parseJson(Buffer.concat(chunks).toString('utf8')) }));
        res.on('error', reject);
      });
      req.on('error', reject);
    });
  }

  onModuleDestroy(): void {
    this.agent.destroy();
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}
