import { Tree, visitNotIgnoredFiles } from '@nx/devkit';
import * as ts from 'typescript';

export interface DeclaredTool {
  name: string;
  file: string;
}

export interface ProjectSourceScan {
  /** Every `@McpTool({ name: '...' })` in the project. */
  tools: DeclaredTool[];
  /** Files that declare `class BackendApiClient`, the client generated tools call the backend with. */
  backendClientFiles: string[];
}

/**
 * Reads every TypeScript file of the project with the compiler's parser (no type checking):
 * decorators written over several lines, with comments or other quotes are found all the same.
 */
export function scanProjectSources(tree: Tree, projectRoot: string): ProjectSourceScan {
  const scan: ProjectSourceScan = { tools: [], backendClientFiles: [] };
  visitNotIgnoredFiles(tree, projectRoot, (file) => {
    if (!file.endsWith('.ts') || file.endsWith('.d.ts')) return;
    const source = ts.createSourceFile(file, tree.read(file, 'utf-8') ?? '', ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isDecorator(node)) {
        const name = mcpToolName(node);
        if (name !== undefined) scan.tools.push({ name, file });
      } else if (ts.isClassDeclaration(node) && node.name?.text === 'BackendApiClient') {
        scan.backendClientFiles.push(file);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  });
  return scan;
}

/** The `name` of `@McpTool({ name: 'x', ... })`, when it is a literal. */
function mcpToolName(decorator: ts.Decorator): string | undefined {
  const call = decorator.expression;
  if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression) || call.expression.text !== 'McpTool') return undefined;
  const options = call.arguments[0];
  if (!options || !ts.isObjectLiteralExpression(options)) return undefined;
  for (const property of options.properties) {
    if (!ts.isPropertyAssignment(property) || propertyName(property.name) !== 'name') continue;
    const value = property.initializer;
    if (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) return value.text;
  }
  return undefined;
}

export function propertyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}
