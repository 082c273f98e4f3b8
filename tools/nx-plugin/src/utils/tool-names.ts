import { names } from '@nx/devkit';
import { GeneratorOptionError } from './generator-option-error';

/** MCP tool names: 1-128 letters, digits, `_`, `-` and `.` (spec 2025-11-25, "Tool names"). */
export const MCP_TOOL_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;

/** A kebab-case stem that is also a safe folder name and, camel-cased, a TypeScript identifier. */
const FILE_STEM_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export interface ToolNames {
  /** `search-orders`: folder and file stem. */
  fileName: string;
  /** `search_orders`: the name in `@McpTool({ name })`, `tools/list` and `tools/call`. */
  toolName: string;
  /** `SearchOrdersTool`: the provider class. */
  toolClassName: string;
  /** `SearchOrdersInput`: the input DTO class. */
  inputClassName: string;
  /** `searchOrders`: the decorated method. */
  methodName: string;
  /** `Search orders`: the tool's human-readable title. */
  title: string;
}

/**
 * `search-orders`, `searchOrders`, `search_orders` and `Search Orders` all give tool
 * `search_orders`, class `SearchOrdersTool` and files `search-orders/search-orders.*.ts`.
 */
export function toolNames(raw: string): ToolNames {
  const fileName = names(raw.trim()).fileName.replace(/_/g, '-');
  const toolName = fileName.replace(/-/g, '_');
  if (!MCP_TOOL_NAME_PATTERN.test(toolName)) {
    throw new GeneratorOptionError(
      `"${raw}" gives the tool name "${toolName}", which is not a valid MCP tool name: ` +
        `1 to 128 characters of letters, digits, "_", "-" and "." (${MCP_TOOL_NAME_PATTERN}).`,
    );
  }
  if (!FILE_STEM_PATTERN.test(fileName)) {
    throw new GeneratorOptionError(
      `"${raw}" cannot name a generated tool: use words of letters and digits separated by "-" or "_", ` +
        `starting with a letter (e.g. search-orders), because the name also gives the folder, the file names ` +
        `and the TypeScript class.`,
    );
  }
  const { className, propertyName } = names(fileName);
  const words = fileName.split('-');
  return {
    fileName,
    toolName,
    toolClassName: `${className}Tool`,
    inputClassName: `${className}Input`,
    methodName: propertyName,
    title: [words[0].charAt(0).toUpperCase() + words[0].slice(1), ...words.slice(1)].join(' '),
  };
}
