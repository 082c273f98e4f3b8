import { addProjectConfiguration, Tree } from '@nx/devkit';
import * as ts from 'typescript';
import { createWorkspaceTree } from '../../testing/workspace-tree';
import { toolGenerator } from './generator';

const TOOLS = 'apps/orders-mcp/src/app/tools';
const MODULE = `${TOOLS}/tools.module.ts`;

const TOOLS_MODULE = `import { Module } from '@nestjs/common';
import { BackendApiClient } from '../backend/backend-api.client';
import { GetUserProfileTool } from './user-profile/get-user-profile.tool';

/** The server's MCP tools. */
@Module({
  providers: [BackendApiClient, GetUserProfileTool],
})
export class ToolsModule {}
`;

// Written over several lines and with double quotes: the scan reads syntax, not text patterns.
const EXISTING_TOOL = `import { Injectable } from '@nestjs/common';
import { McpTool } from '@mcp-platform/mcp-tools';

@Injectable()
export class GetUserProfileTool {
  @McpTool({
    description: 'Looks up a user profile.',
    name:
      "get_user_profile",
    input: Object,
  })
  getUserProfile(): string {
    return '';
  }
}
`;

function workspaceWithServer(): Tree {
  const tree = createWorkspaceTree();
  addProjectConfiguration(tree, 'orders-mcp', {
    root: 'apps/orders-mcp',
    sourceRoot: 'apps/orders-mcp/src',
    projectType: 'application',
    tags: ['type:app'],
  });
  tree.write(MODULE, TOOLS_MODULE);
  tree.write(`${TOOLS}/user-profile/get-user-profile.tool.ts`, EXISTING_TOOL);
  tree.write('apps/orders-mcp/src/app/backend/backend-api.client.ts', 'export class BackendApiClient {}\n');
  return tree;
}

/** Every file of the tree and its content, for "writes nothing" checks. */
function snapshot(tree: Tree): Record<string, string> {
  return Object.fromEntries(tree.listChanges().map((change) => [change.path, change.content?.toString('utf-8') ?? '']));
}

function parse(tree: Tree, path: string): ts.SourceFile {
  return ts.createSourceFile(path, tree.read(path, 'utf-8') ?? '', ts.ScriptTarget.Latest, true);
}

function squash(text: string | null): string {
  return (text ?? '').replace(/\s+/g, ' ');
}

function findAll<T extends ts.Node>(root: ts.Node, test: (node: ts.Node) => node is T): T[] {
  const found: T[] = [];
  const visit = (node: ts.Node): void => {
    if (test(node)) found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

function classNames(source: ts.SourceFile): string[] {
  return findAll(source, ts.isClassDeclaration).map((declaration) => declaration.name?.text ?? '');
}

/** The options of the file's @McpTool, as source text with whitespace squashed. */
function mcpToolOptions(source: ts.SourceFile): Record<string, string> {
  const call = findAll(source, ts.isDecorator)
    .map((decorator) => decorator.expression)
    .find((expression): expression is ts.CallExpression => ts.isCallExpression(expression) && expression.expression.getText(source) === 'McpTool');
  const options = call?.arguments[0] as ts.ObjectLiteralExpression;
  return Object.fromEntries(
    options.properties.filter(ts.isPropertyAssignment).map((property) => [
      property.name.getText(source),
      squash(property.initializer.getText(source)).replace(/, }/, ' }'),
    ]),
  );
}

function backendGetArguments(source: ts.SourceFile): string[] {
  const call = findAll(source, ts.isCallExpression).find((candidate) => candidate.expression.getText(source) === 'this.backend.get');
  return call?.arguments.map((argument) => argument.getText(source)) ?? [];
}

function importsOf(source: ts.SourceFile): Record<string, string[]> {
  return Object.fromEntries(
    source.statements.filter(ts.isImportDeclaration).map((declaration) => [
      (declaration.moduleSpecifier as ts.StringLiteral).text,
      ((declaration.importClause?.namedBindings as ts.NamedImports | undefined)?.elements ?? []).map((element) => element.name.text),
    ]),
  );
}

function syntaxErrors(path: string, text: string): string[] {
  const output = ts.transpileModule(text, { fileName: path, reportDiagnostics: true, compilerOptions: { experimentalDecorators: true } });
  return (output.diagnostics ?? []).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

describe('tool generator', () => {
  let tree: Tree;

  beforeEach(() => {
    tree = workspaceWithServer();
  });

  it('writes the provider, its input DTO and a registry spec', async () => {
    await toolGenerator(tree, { name: 'search-orders', project: 'orders-mcp', backendPath: '/orders', description: "Finds a customer's orders." });

    const dir = `${TOOLS}/search-orders`;
    expect(tree.children(dir).sort()).toEqual(['search-orders.input.ts', 'search-orders.tool.spec.ts', 'search-orders.tool.ts']);
    const tool = parse(tree, `${dir}/search-orders.tool.ts`);
    expect(classNames(tool)).toEqual(['SearchOrdersTool']);
    expect(mcpToolOptions(tool)).toEqual({
      name: "'search_orders'",
      title: "'Search orders'",
      description: `"Finds a customer's orders."`,
      input: 'SearchOrdersInput',
      annotations: '{ readOnlyHint: true, idempotentHint: true, openWorldHint: false }',
    });
    expect(backendGetArguments(tool)).toEqual(['`orders?${query}`', 'context.signal']);
    expect(importsOf(tool)).toEqual(
      expect.objectContaining({ '../../backend/backend-api.client': ['BackendApiClient', 'BackendUnavailableError'], './search-orders.input': ['SearchOrdersInput'] }),
    );
    expect(classNames(parse(tree, `${dir}/search-orders.input.ts`))).toEqual(['SearchOrdersInput']);
    const spec = squash(tree.read(`${dir}/search-orders.tool.spec.ts`, 'utf-8'));
    expect(spec).toContain("registry.call('search_orders', { query: 'a&b', limit: 5, })");
    expect(spec).toContain('{ provide: BackendApiClient, useValue: backend }');
    expect(spec).toContain("'orders?query=a%26b&limit=5'");
    for (const file of tree.children(dir)) {
      expect({ file, errors: syntaxErrors(file, tree.read(`${dir}/${file}`, 'utf-8') ?? '') }).toEqual({ file, errors: [] });
    }
  });

  it('formats what it writes with the workspace prettier config', async () => {
    await toolGenerator(tree, { name: 'search-orders', project: 'orders-mcp' });
    const text = tree.read(`${TOOLS}/search-orders/search-orders.tool.ts`, 'utf-8') ?? '';
    const prettier = await import('prettier');
    expect(await prettier.format(text, { parser: 'typescript', singleQuote: true })).toBe(text);
  });

  it('registers the provider in the tools module and leaves the rest of the file as it was', async () => {
    await toolGenerator(tree, { name: 'search-orders', project: 'orders-mcp' });

    expect(tree.read(MODULE, 'utf-8')).toBe(`import { Module } from '@nestjs/common';
import { BackendApiClient } from '../backend/backend-api.client';
import { GetUserProfileTool } from './user-profile/get-user-profile.tool';
import { SearchOrdersTool } from './search-orders/search-orders.tool';

/** The server's MCP tools. */
@Module({
  providers: [BackendApiClient, GetUserProfileTool, SearchOrdersTool],
})
export class ToolsModule {}
`);
  });

  it.each(['search-orders', 'searchOrders', 'search_orders', 'Search Orders', 'SearchOrders'])('normalises %s', async (name) => {
    await toolGenerator(tree, { name, project: 'orders-mcp' });
    const tool = parse(tree, `${TOOLS}/search-orders/search-orders.tool.ts`);
    expect(mcpToolOptions(tool)['name']).toBe("'search_orders'");
    expect(classNames(tool)).toEqual(['SearchOrdersTool']);
  });

  it('defaults the backend path to the name and the description to the title', async () => {
    await toolGenerator(tree, { name: 'list-invoices', project: 'orders-mcp' });
    const tool = parse(tree, `${TOOLS}/list-invoices/list-invoices.tool.ts`);
    expect(backendGetArguments(tool)[0]).toBe('`list-invoices?${query}`');
    expect(mcpToolOptions(tool)['description']).toBe("'List invoices through the backend API.'");
  });

  it.each([
    ['/orders/', 'orders'],
    ['orders', 'orders'],
    ['/v1/orders', 'v1/orders'],
  ])('normalises --backend-path %s to %s', async (backendPath, expected) => {
    await toolGenerator(tree, { name: 'search-orders', project: 'orders-mcp', backendPath });
    expect(backendGetArguments(parse(tree, `${TOOLS}/search-orders/search-orders.tool.ts`))[0]).toBe(`\`${expected}?\${query}\``);
  });

  describe('refuses, writing nothing,', () => {
    let before: Record<string, string>;

    beforeEach(() => {
      before = snapshot(tree);
    });

    it.each(['get-user-profile', 'getUserProfile', 'get_user_profile'])('a name that an @McpTool already has (%s)', async (name) => {
      await expect(toolGenerator(tree, { name, project: 'orders-mcp' })).rejects.toThrow(
        `Project "orders-mcp" already has a tool named "get_user_profile" (@McpTool in ${TOOLS}/user-profile/get-user-profile.tool.ts)`,
      );
      expect(snapshot(tree)).toEqual(before);
    });

    it('a name whose folder already exists', async () => {
      tree.write(`${TOOLS}/search-orders/notes.md`, 'x');
      const before = snapshot(tree);
      await expect(toolGenerator(tree, { name: 'search-orders', project: 'orders-mcp' })).rejects.toThrow(`${TOOLS}/search-orders already exists`);
      expect(snapshot(tree)).toEqual(before);
    });

    it.each([
      ['orders!', /gives the tool name "orders!", which is not a valid MCP tool name/],
      ['orders/search', /not a valid MCP tool name/],
      ['bestellübersicht', /not a valid MCP tool name/],
      ['x'.repeat(129), /not a valid MCP tool name: 1 to 128 characters/],
      ['9-lives', /cannot name a generated tool: .* starting with a letter/],
      ['orders.search', /cannot name a generated tool/],
    ])('an invalid name (%s)', async (name, message) => {
      await expect(toolGenerator(tree, { name, project: 'orders-mcp' })).rejects.toThrow(message);
      expect(snapshot(tree)).toEqual(before);
    });

    it.each(['../admin', '/orders?all=1', '/', 'a b'])('a --backend-path that is not a plain path (%s)', async (backendPath) => {
      await expect(toolGenerator(tree, { name: 'search-orders', project: 'orders-mcp', backendPath })).rejects.toThrow(
        /--backend-path .* is not a usable path under BACKEND_API_URL/,
      );
      expect(snapshot(tree)).toEqual(before);
    });

    it('an unknown project', async () => {
      await expect(toolGenerator(tree, { name: 'search-orders', project: 'nope' })).rejects.toThrow('Cannot find a project named "nope" (--project).');
    });

    it('a project without a tools module', async () => {
      tree.delete(MODULE);
      await expect(toolGenerator(tree, { name: 'search-orders', project: 'orders-mcp' })).rejects.toThrow(
        `Project "orders-mcp" has no tools module at ${MODULE}`,
      );
    });

    it('a project without a BackendApiClient', async () => {
      tree.delete('apps/orders-mcp/src/app/backend/backend-api.client.ts');
      await expect(toolGenerator(tree, { name: 'search-orders', project: 'orders-mcp' })).rejects.toThrow(
        'Project "orders-mcp" declares no BackendApiClient class',
      );
      expect(tree.exists(`${TOOLS}/search-orders`)).toBe(false);
    });
  });
});
