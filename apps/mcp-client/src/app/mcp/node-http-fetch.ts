import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import type { FetchLike } from '@modelcontextprotocol/client';
import { CLIENT_IDLE_TIMEOUT_MS } from '@mcp-platform/service-runtime';
import { capAnswerSize, currentCutListener } from './answer-size-cap';

/**
 * fetch for the SDK transport, on node:http with one keep-alive agent per scheme. undici's fetch
 * (its Request and Headers objects, web streams, a composite abort signal per request) was about a
 * third of the client's CPU per forwarded tool call (`npm run bench -- --only facade`, CPU
 * profile). The SDK gets a real `Response`: JSON bodies and event streams read as they do from
 * fetch. Failures look like fetch's (`TypeError: fetch failed` with the socket error as `cause`),
 * which is what the SDK and describeFailure read. An answer over `maxResponseBytes` is cut (see
 * capAnswerSize): its body errors with McpAnswerTooLargeError, and the failingOnOversize around the
 * request is told.
 */
export function createNodeHttpFetch(maxResponseBytes = Number.POSITIVE_INFINITY, maxSockets = 256): FetchLike {
  const agents = {
    // `timeout` is how long a free socket stays pooled (an agent destroys only idle sockets on it).
    'http:': new http.Agent({ keepAlive: true, maxSockets, timeout: CLIENT_IDLE_TIMEOUT_MS }),
    'https:': new https.Agent({ keepAlive: true, maxSockets, timeout: CLIENT_IDLE_TIMEOUT_MS }),
  };
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = input instanceof URL ? input : new URL(String(input));
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return reject(new TypeError(`fetch failed: unsupported scheme ${url.protocol}`));
      const body = init.body;
      if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) {
        return reject(new TypeError('fetch failed: only string and byte bodies are supported'));
      }
      const headers: Record<string, string> = {};
      // The SDK and createRequestIdFetch hand over a Headers object: read it, do not copy it first.
      (init.headers instanceof Headers ? init.headers : new Headers(init.headers)).forEach((value, name) => (headers[name] = value));
      const method = init.method ?? 'GET';
      const onCut = currentCutListener();
      const transport = url.protocol === 'https:' ? https : http;
      const request = transport.request(url, { method, headers, agent: agents[url.protocol], signal: init.signal ?? undefined }, (response) => {
        const status = response.statusCode ?? 0;
        const hasBody = method !== 'HEAD' && status !== 204 && status !== 304;
        if (!hasBody) response.resume();
        else capAnswerSize(response, maxResponseBytes, onCut);
        resolve(
          new Response(hasBody ? (Readable.toWeb(response) as ReadableStream<Uint8Array>) : null, {
            status,
            statusText: response.statusMessage ?? '',
            headers: responseHeaders(response.headers),
          }),
        );
      });
      request.on('error', (error) => reject(init.signal?.aborted ? init.signal.reason : new TypeError('fetch failed', { cause: error })));
      request.end(body ?? undefined);
    });
}

function responseHeaders(incoming: http.IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}
