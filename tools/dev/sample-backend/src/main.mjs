import { startSampleBackend } from './sample-backend.mjs';

// With BACKEND_AUTH_JWKS_URI and BACKEND_AUTH_ISSUER set, every call but /health needs an Entra token for BACKEND_AUTH_AUDIENCE.
const auth = process.env.BACKEND_AUTH_JWKS_URI
  ? {
      jwksUri: process.env.BACKEND_AUTH_JWKS_URI,
      issuer: process.env.BACKEND_AUTH_ISSUER ?? '',
      audience: process.env.BACKEND_AUTH_AUDIENCE ?? 'api://mcp-sample-backend',
    }
  : undefined;
// LOG_REQUESTS=false: no line per request (the benchmark, where the backend must stay cheap).
const log = process.env.LOG_REQUESTS === 'false' ? () => undefined : undefined;
const backend = await startSampleBackend({ port: Number(process.env.PORT ?? 8081), host: process.env.HOST ?? '127.0.0.1', auth, log });
process.stdout.write(`${JSON.stringify({ msg: `sample-backend listening on ${backend.url}` })}\n`);
const stop = () => backend.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
