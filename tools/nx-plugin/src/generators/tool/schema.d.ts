export interface ToolGeneratorSchema {
  /** search-orders, searchOrders or search_orders. */
  name: string;
  /** The MCP server app, e.g. mcp-server. */
  project: string;
  description?: string;
  /** Path under BACKEND_API_URL, e.g. /orders. */
  backendPath?: string;
  skipFormat?: boolean;
}
