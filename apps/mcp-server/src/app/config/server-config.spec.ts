import path from 'node:path';
import { ConfigError, declaredVariables, documentedVariables, loadConfig } from '@mcp-platform/config';
import { ServerConfig } from './server-config';

const WORKSPACE_ROOT = path.resolve(__dirname, '../../../../..');

describe('loadConfig(ServerConfig)', () => {
  it('applies the defaults when nothing is set', () => {
    const config = loadConfig(ServerConfig, {});
    expect(config).toMatchObject({
      PORT: 8000,
      LOG_LEVEL: 'info',
      BACKEND_API_URL: 'http://localhost:8081',
      BACKEND_API_TIMEOUT: 10,
      READINESS_CHECK_BACKEND: false,
      READINESS_CACHE_TTL: 1,
      MCP_MAX_STREAMS: 1000,
      MCP_MAX_STREAMS_PER_CALLER: 10,
      MCP_STREAM_MAX_LIFETIME: 3600,
      AZURE_SCOPES: [],
      MCP_ALLOWED_HOSTS: ['localhost', '127.0.0.1', '[::1]', 'mcp-server'],
    });
  });

  it('reads the values the Helm chart renders from the guide', () => {
    const config = loadConfig(ServerConfig, {
      LOG_LEVEL: 'INFO',
      BACKEND_API_URL: 'https://api.example.com',
      BACKEND_API_TIMEOUT: '10',
      READINESS_CHECK_BACKEND: 'true',
      AZURE_SCOPES: 'https://management.azure.com/.default',
      AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.com',
    });
    expect(config).toMatchObject({
      LOG_LEVEL: 'info',
      BACKEND_API_TIMEOUT: 10,
      READINESS_CHECK_BACKEND: true,
      AZURE_SCOPES: ['https://management.azure.com/.default'],
    });
  });

  it.each([
    ['WARNING', 'warn'],
    ['critical', 'fatal'],
    ['Debug', 'debug'],
  ])('maps LOG_LEVEL %s to pino level %s', (given, expected) => {
    expect(loadConfig(ServerConfig, { LOG_LEVEL: given }).LOG_LEVEL).toBe(expected);
  });

  it('names every malformed variable in one error', () => {
    expect(() => loadConfig(ServerConfig, { PORT: '70000', BACKEND_API_TIMEOUT: 'soon' })).toThrow(ConfigError);
    expect(() => loadConfig(ServerConfig, { PORT: '70000', BACKEND_API_TIMEOUT: 'soon' })).toThrow(/PORT must be .*; BACKEND_API_TIMEOUT must be/);
  });

  it('reads MCP_PUBLIC_URL without its trailing slash, and refuses one that is not an http(s) URL or has a query', () => {
    expect(loadConfig(ServerConfig, {}).MCP_PUBLIC_URL).toBeUndefined();
    expect(loadConfig(ServerConfig, { MCP_PUBLIC_URL: 'https://mcp.example.com/team-a/' }).MCP_PUBLIC_URL).toBe('https://mcp.example.com/team-a');
    expect(() => loadConfig(ServerConfig, { MCP_PUBLIC_URL: 'mcp.example.com' })).toThrow(/MCP_PUBLIC_URL must be an http\(s\) URL/);
    expect(() => loadConfig(ServerConfig, { MCP_PUBLIC_URL: 'https://mcp.example.com/?x=1' })).toThrow(/MCP_PUBLIC_URL must be an http\(s\) URL without query or fragment/);
  });

  it.each([
    ['MCP_MAX_STREAMS', '0', /MCP_MAX_STREAMS must be a positive integer/],
    ['MCP_MAX_STREAMS_PER_CALLER', '2.5', /MCP_MAX_STREAMS_PER_CALLER must be a positive integer/],
    ['MCP_STREAM_MAX_LIFETIME', '-1', /MCP_STREAM_MAX_LIFETIME must be a positive number of seconds/],
    ['READINESS_CACHE_TTL', '600', /READINESS_CACHE_TTL must be a number of seconds from 0 to 60/],
    ['READINESS_CACHE_TTL', 'soon', /READINESS_CACHE_TTL must be a number of seconds from 0 to 60/],
  ])('refuses %s=%p, naming it', (name, value, message) => {
    expect(() => loadConfig(ServerConfig, { [name]: value })).toThrow(message);
  });

  it('ignores unrelated environment variables', () => {
    expect(() => loadConfig(ServerConfig, { HOME: '/root', SOMETHING: 'else' })).not.toThrow();
  });
});

describe('the README configuration table', () => {
  it('lists exactly the variables the server reads', () => {
    const documented = documentedVariables(path.join(WORKSPACE_ROOT, 'README.md'), '### Configuration (environment, validated at start-up)');
    expect([...documented].sort()).toEqual([...declaredVariables(ServerConfig)].sort());
  });
});
