/** Where an MCP server serves Streamable HTTP when only its base URL is given (the seed's `http://mcp-server:8000`). */
export const DEFAULT_MCP_PATH = '/mcp';

/**
 * The MCP endpoint for a configured server URL: a URL with no path (or just `/`) gets `/mcp`
 * appended; any other path is taken as the endpoint itself, so a server mounted elsewhere still
 * works. Text that is not an absolute URL is returned unchanged, for the config validator to name.
 */
export function normalizeMcpServerUrl(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return value;
  }
  if (url.pathname === '' || url.pathname === '/') url.pathname = DEFAULT_MCP_PATH;
  return url.href;
}
