import { formatFiles, generateFiles, joinPathFragments, readProjectConfiguration, Tree } from '@nx/devkit';
import { posix } from 'node:path';
import { registerProvider } from '../../utils/register-provider';
import { scanProjectSources } from '../../utils/source-scan';
import { GeneratorOptionError } from '../../utils/generator-option-error';
import { ToolNames, toolNames } from '../../utils/tool-names';
import { ToolGeneratorSchema } from './schema';

/** Path segments a backend path may have: RFC 3986 unreserved characters, so no encoding is needed. */
const BACKEND_PATH_SEGMENT = /^[A-Za-z0-9._~-]+$/;

export interface ToolPlan extends ToolNames {
  project: string;
  toolDir: string;
  toolsModulePath: string;
  description: string;
  /** Relative to BACKEND_API_URL, without leading or trailing slash (BackendApiClient resolves it against the base URL). */
  backendPath: string;
  /** Import path of BackendApiClient from the tool's folder. */
  backendImport: string;
}

export async function toolGenerator(tree: Tree, options: ToolGeneratorSchema): Promise<void> {
  addTool(tree, options);
  if (!options.skipFormat) await formatFiles(tree);
}

export default toolGenerator;

/**
 * Writes the tool and registers it. Everything is checked before the first write, so a
 * refused name leaves the tree as it was.
 */
export function addTool(tree: Tree, options: ToolGeneratorSchema): ToolPlan {
  const plan = planTool(tree, options);
  generateFiles(tree, joinPathFragments(__dirname, 'files'), plan.toolDir, plan);
  registerProvider(tree, plan.toolsModulePath, plan.toolClassName, `./${plan.fileName}/${plan.fileName}.tool`);
  return plan;
}

export function planTool(tree: Tree, options: ToolGeneratorSchema): ToolPlan {
  const names = toolNames(options.name);
  const project = readProject(tree, options.project);
  const sourceRoot = project.sourceRoot ?? joinPathFragments(project.root, 'src');
  const toolsDir = joinPathFragments(sourceRoot, 'app/tools');
  const toolsModulePath = joinPathFragments(toolsDir, 'tools.module.ts');
  if (!tree.exists(toolsModulePath)) {
    throw new GeneratorOptionError(
      `Project "${options.project}" has no tools module at ${toolsModulePath}: the tool generator registers tools there ` +
        `(apps made by @mcp-platform/nx-plugin:server, and apps/mcp-server, have one).`,
    );
  }
  const toolDir = joinPathFragments(toolsDir, names.fileName);
  if (tree.exists(toolDir)) {
    throw new GeneratorOptionError(`${toolDir} already exists: choose another tool name or remove it first.`);
  }

  const scan = scanProjectSources(tree, project.root);
  const clash = scan.tools.find((tool) => tool.name === names.toolName);
  if (clash) {
    throw new GeneratorOptionError(
      `Project "${options.project}" already has a tool named "${names.toolName}" (@McpTool in ${clash.file}). Tool names must be unique per server: choose another name.`,
    );
  }
  const backendClient = scan.backendClientFiles[0];
  if (!backendClient) {
    throw new GeneratorOptionError(
      `Project "${options.project}" declares no BackendApiClient class; generated tools call the backend API through it ` +
        `(see src/app/backend/backend-api.client.ts in apps/mcp-server).`,
    );
  }

  return {
    ...names,
    project: options.project,
    toolDir,
    toolsModulePath,
    description: options.description?.trim() || `${names.title} through the backend API.`,
    backendPath: normalizeBackendPath(options.backendPath ?? `/${names.fileName}`),
    backendImport: relativeImport(toolDir, backendClient),
  };
}

function readProject(tree: Tree, name: string) {
  try {
    return readProjectConfiguration(tree, name);
  } catch {
    throw new GeneratorOptionError(`Cannot find a project named "${name}" (--project).`);
  }
}

/** `/orders/`, `orders` and `/orders` all give `orders`. */
export function normalizeBackendPath(raw: string): string {
  const trimmed = raw.trim().replace(/^\/+|\/+$/g, '');
  const segments = trimmed.split('/');
  if (trimmed === '' || segments.some((segment) => !BACKEND_PATH_SEGMENT.test(segment) || segment === '.' || segment === '..')) {
    throw new GeneratorOptionError(
      `--backend-path "${raw}" is not a usable path under BACKEND_API_URL: give segments of letters, digits, '-', '_', '.' and '~' ` +
        `separated by '/', e.g. /orders.`,
    );
  }
  return segments.join('/');
}

function relativeImport(fromDir: string, file: string): string {
  const relative = posix.relative(fromDir, file.replace(/\.ts$/, ''));
  return relative.startsWith('.') ? relative : `./${relative}`;
}
