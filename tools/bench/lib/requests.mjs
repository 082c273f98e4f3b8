// The requests the benchmark sends, each with the text its answer must contain.
const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** tools/call as a 2025-era client sends it (protocol version in a header, no _meta). */
export function legacyToolCall(name, args, expect) {
  return {
    headers: { ...mcpHeaders, 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
    expect,
  };
}

/** tools/call as a 2026-07-28 client sends it: routing headers and the per-request _meta. */
export function modernToolCall(name, args, expect) {
  return {
    headers: { ...mcpHeaders, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': name },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: {
        name,
        arguments: args,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1.0.0' },
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    }),
    expect,
  };
}

/** The client facade's REST call: the body is the tool's arguments. */
export function facadeCall(args, expect) {
  return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(args), expect };
}

export const echo = { args: { text: 'hello' }, expect: '"text":"hello"' };
export const userProfile = { args: { user_id: '123' }, expect: 'Ada Lovelace' };
