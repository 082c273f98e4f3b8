import path from 'node:path';
import { ConfigError, declaredVariables, documentedVariables, loadConfig } from '@mcp-platform/config';
import { ClientConfig } from './client-config';

const WORKSPACE_ROOT = path.resolve(__dirname, '../../../../..');

describe('loadConfig(ClientConfig)', () => {
  it('applies the defaults when nothing is set', () => {
    expect(loadConfig(ClientConfig, {})).toMatchObject({
      PORT: 8000,
      LOG_LEVEL: 'info',
      MCP_SERVER_URL: 'http://mcp-server:8000/mcp',
      AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.com',
      AZURE_CREDENTIAL: 'auto',
      AZURE_DISABLE_INSTANCE_DISCOVERY: false,
      DISCOVERY_INTERVAL: 30,
      DISCOVERY_RETRY_INITIAL_DELAY: 1,
      DISCOVERY_RETRY_MAX_DELAY: 30,
      DISCOVERY_LIST_CHANGED: true,
      TOOL_CALL_TIMEOUT: 30,
      MCP_MAX_RESPONSE_BYTES: 8 * 1024 * 1024,
      TOOL_ARGUMENTS_MAX_DEPTH: 62,
      SHUTDOWN_TIMEOUT: 30,
      MCP_CLIENT_ALLOWED_HOSTS: ['localhost', '127.0.0.1', '[::1]', 'mcp-client'],
      MCP_CLIENT_AUTH_ENABLED: false,
      MCP_CLIENT_AUTH_AUDIENCES: ['api://mcp-client'],
      MCP_CLIENT_AUTH_REQUIRED_ROLES: ['Tools.Call'],
    });
    expect(loadConfig(ClientConfig, {}).MCP_SERVER_SCOPE).toBeUndefined();
    expect(loadConfig(ClientConfig, {}).MCP_CLIENT_ALLOWED_ORIGINS).toBeUndefined();
  });

  it('reads what the chart renders from the guide', () => {
    const config = loadConfig(ClientConfig, {
      PORT: '8000',
      MCP_SERVER_URL: 'http://mcp-server:8000',
      LOG_LEVEL: 'INFO',
      AZURE_TENANT_ID: '00000000-0000-0000-0000-000000000001',
      AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000002',
      AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.com',
      AZURE_FEDERATED_TOKEN_FILE: '/var/run/secrets/azure/tokens/azure-identity-token',
      MCP_SERVER_SCOPE: 'api://mcp-server/.default',
    });
    expect(config).toMatchObject({
      MCP_SERVER_URL: 'http://mcp-server:8000/mcp',
      LOG_LEVEL: 'info',
      MCP_SERVER_SCOPE: 'api://mcp-server/.default',
      AZURE_FEDERATED_TOKEN_FILE: '/var/run/secrets/azure/tokens/azure-identity-token',
    });
  });

  it('reads an empty MCP_SERVER_SCOPE as unset', () => {
    expect(loadConfig(ClientConfig, { MCP_SERVER_SCOPE: ' ' }).MCP_SERVER_SCOPE).toBeUndefined();
  });

  it('takes fractional seconds, so tests can run fast backoffs', () => {
    const config = loadConfig(ClientConfig, { DISCOVERY_RETRY_INITIAL_DELAY: '0.1', DISCOVERY_RETRY_MAX_DELAY: '0.5', TOOL_CALL_TIMEOUT: '0.75' });
    expect(config).toMatchObject({ DISCOVERY_RETRY_INITIAL_DELAY: 0.1, DISCOVERY_RETRY_MAX_DELAY: 0.5, TOOL_CALL_TIMEOUT: 0.75 });
  });

  it.each([
    ['MCP_SERVER_URL', 'mcp-server:8000', /MCP_SERVER_URL must be an http\(s\) URL/],
    ['MCP_SERVER_URL', 'ftp://mcp-server', /MCP_SERVER_URL must be an http\(s\) URL/],
    ['DISCOVERY_INTERVAL', '0', /DISCOVERY_INTERVAL must be a positive number/],
    ['TOOL_CALL_TIMEOUT', 'soon', /TOOL_CALL_TIMEOUT must be a positive number/],
    ['DISCOVERY_LIST_CHANGED', 'maybe', /DISCOVERY_LIST_CHANGED must be true or false/],
    ['MCP_MAX_RESPONSE_BYTES', '1.5', /MCP_MAX_RESPONSE_BYTES must be a positive integer/],
    ['MCP_MAX_RESPONSE_BYTES', '0', /MCP_MAX_RESPONSE_BYTES must be a positive integer/],
    ['TOOL_ARGUMENTS_MAX_DEPTH', '1001', /TOOL_ARGUMENTS_MAX_DEPTH must be an integer from 1 to 1000/],
    ['TOOL_ARGUMENTS_MAX_DEPTH', 'deep', /TOOL_ARGUMENTS_MAX_DEPTH must be an integer from 1 to 1000/],
    ['AZURE_AUTHORITY_HOST', 'http://login.example', /AZURE_AUTHORITY_HOST must be an https URL/],
    ['MCP_CLIENT_AUTH_ENABLED', 'maybe', /MCP_CLIENT_AUTH_ENABLED must be true or false/],
    ['MCP_CLIENT_AUTH_ENABLED', 'true', /AZURE_TENANT_ID must be set when MCP_CLIENT_AUTH_ENABLED is true/],
    ['MCP_CLIENT_ALLOWED_HOSTS', ' , ', /MCP_CLIENT_ALLOWED_HOSTS must name at least one host/],
  ])('names %s when it is %p', (name, value, message) => {
    expect(() => loadConfig(ClientConfig, { [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig(ClientConfig, { [name]: value })).toThrow(message);
  });
});

describe('the README configuration table', () => {
  it('lists exactly the variables the client reads', () => {
    const documented = documentedVariables(path.join(WORKSPACE_ROOT, 'apps/mcp-client/README.md'), '## Configuration (environment, validated at start-up)');
    expect([...documented].sort()).toEqual([...declaredVariables(ClientConfig)].sort());
  });
});
