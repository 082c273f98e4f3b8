import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { WORKSPACE_ROOT } from '../testing/workspace-tree';
import { registerProvider } from './register-provider';

const TOOLS_MODULE = `import { Module } from '@nestjs/common';
import { BackendApiClient } from '../backend/backend-api.client';
import { GetUserProfileTool } from './user-profile/get-user-profile.tool';

/** The server's MCP tools. */
@Module({
  providers: [BackendApiClient, GetUserProfileTool],
})
export class ToolsModule {}
`;

describe('registerProvider', () => {
  const register = (text: string) => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('tools.module.ts', text);
    const changed = registerProvider(tree, 'tools.module.ts', 'SearchOrdersTool', './search-orders/search-orders.tool');
    return { tree, changed, text: tree.read('tools.module.ts', 'utf-8') };
  };

  it('is idempotent: a second run changes nothing', () => {
    const first = register(TOOLS_MODULE);
    expect(first.changed).toBe(true);
    const second = registerProvider(first.tree, 'tools.module.ts', 'SearchOrdersTool', './search-orders/search-orders.tool');
    expect(second).toBe(false);
    expect(first.tree.read('tools.module.ts', 'utf-8')).toBe(first.text);
    expect(first.text?.match(/SearchOrdersTool/g)).toHaveLength(2);
  });

  it('keeps one provider per line, with the trailing comma, when the list is written that way', () => {
    const { text } = register(`import { Module } from '@nestjs/common';
import { A } from './a';

@Module({
  imports: [],
  providers: [
    A,
  ],
})
export class ToolsModule {}
`);
    expect(text).toBe(`import { Module } from '@nestjs/common';
import { A } from './a';
import { SearchOrdersTool } from './search-orders/search-orders.tool';

@Module({
  imports: [],
  providers: [
    A,
    SearchOrdersTool,
  ],
})
export class ToolsModule {}
`);
  });

  it('adds a providers array when the module has none', () => {
    expect(register(`import { Module } from '@nestjs/common';\n\n@Module({})\nexport class ToolsModule {}\n`).text).toBe(
      `import { Module } from '@nestjs/common';\nimport { SearchOrdersTool } from './search-orders/search-orders.tool';\n\n@Module({ providers: [SearchOrdersTool] })\nexport class ToolsModule {}\n`,
    );
    expect(register(`import { Module } from '@nestjs/common';\n\n@Module({\n  imports: [],\n})\nexport class ToolsModule {}\n`).text).toContain(
      `@Module({\n  providers: [SearchOrdersTool],\n  imports: [],\n})`,
    );
  });

  it('fills an empty providers array', () => {
    expect(register(`import { Module } from '@nestjs/common';\n\n@Module({ providers: [] })\nexport class ToolsModule {}\n`).text).toContain(
      '@Module({ providers: [SearchOrdersTool] })',
    );
  });

  it('refuses a file without @Module, or with providers it cannot edit', () => {
    expect(() => register('export class ToolsModule {}\n')).toThrow('has no class decorated with @Module');
    expect(() => register(`import { Module } from '@nestjs/common';\nconst p = [];\n@Module({ providers: p })\nexport class M {}\n`)).toThrow(
      'are not an array literal',
    );
  });

  it('registers a tool in the real apps/mcp-server tools module, idempotently', () => {
    const real = readFileSync(join(WORKSPACE_ROOT, 'apps/mcp-server/src/app/tools/tools.module.ts'), 'utf-8');
    const once = register(real);
    const source = ts.createSourceFile('m.ts', once.text ?? '', ts.ScriptTarget.Latest, true);
    const imports = source.statements.filter(ts.isImportDeclaration).map((d) => (d.moduleSpecifier as ts.StringLiteral).text);
    expect(imports).toContain('./search-orders/search-orders.tool');
    expect(once.text).toMatch(/providers: \[[^\]]*\bSearchOrdersTool\b[^\]]*\]/);
    expect(registerProvider(once.tree, 'tools.module.ts', 'SearchOrdersTool', './search-orders/search-orders.tool')).toBe(false);
    // Every line of the original is still there, in order.
    const lines = once.text?.split('\n') ?? [];
    let cursor = 0;
    for (const line of real.split('\n').filter((l) => !l.includes('providers:'))) {
      cursor = lines.indexOf(line, cursor) + 1;
      expect(cursor).toBeGreaterThan(0);
    }
  });
});
