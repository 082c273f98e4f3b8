import path from 'node:path';

/**
 * The workspace root. Not taken from @mcp-platform/testing: Jest's globalSetup, which reads
 * the build records through this, is loaded without the workspace's path aliases.
 */
export const WORKSPACE_ROOT = path.resolve(__dirname, '../../../..');
