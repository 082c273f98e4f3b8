import { applyChangesToString, ChangeType, StringChange, Tree } from '@nx/devkit';
import * as ts from 'typescript';
import { GeneratorOptionError } from './generator-option-error';
import { propertyName } from './source-scan';

/**
 * Adds `import { className } from 'importPath'` and `className` to the `providers` of the
 * file's `@Module({...})`, as text insertions at positions found in the syntax tree, so the
 * rest of the file stays byte for byte as it was. Idempotent: what is already there is left
 * alone. Returns whether the file changed.
 */
export function registerProvider(tree: Tree, modulePath: string, className: string, importPath: string): boolean {
  const text = tree.read(modulePath, 'utf-8');
  if (text === null) throw new GeneratorOptionError(`${modulePath} does not exist.`);
  const source = ts.createSourceFile(modulePath, text, ts.ScriptTarget.Latest, true);
  const changes: StringChange[] = [];

  const importChange = addImportChange(source, modulePath, className, importPath);
  if (importChange) changes.push(importChange);
  const providersChange = addProviderChange(source, modulePath, className);
  if (providersChange) changes.push(providersChange);

  if (changes.length === 0) return false;
  tree.write(modulePath, applyChangesToString(text, changes));
  return true;
}

function addImportChange(source: ts.SourceFile, modulePath: string, className: string, importPath: string): StringChange | undefined {
  const imports = source.statements.filter(ts.isImportDeclaration);
  for (const declaration of imports) {
    const bindings = declaration.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    if (!bindings.elements.some((element) => element.name.text === className)) continue;
    const from = (declaration.moduleSpecifier as ts.StringLiteral).text;
    if (from === importPath) return undefined;
    throw new GeneratorOptionError(`${modulePath} already imports a ${className} from '${from}'; cannot also import it from '${importPath}'.`);
  }
  const statement = `import { ${className} } from '${importPath}';`;
  const last = imports[imports.length - 1];
  return last
    ? { type: ChangeType.Insert, index: last.getEnd(), text: `\n${statement}` }
    : { type: ChangeType.Insert, index: 0, text: `${statement}\n` };
}

function addProviderChange(source: ts.SourceFile, modulePath: string, className: string): StringChange | undefined {
  const metadata = findModuleMetadata(source);
  if (!metadata) throw new GeneratorOptionError(`${modulePath} has no class decorated with @Module({ ... }) to register ${className} in.`);

  const providers = metadata.properties.find(
    (property): property is ts.PropertyAssignment => ts.isPropertyAssignment(property) && propertyName(property.name) === 'providers',
  );
  if (!providers) {
    const first = metadata.properties[0];
    return first
      ? { type: ChangeType.Insert, index: first.getStart(source), text: `providers: [${className}],\n${indentOf(source, first)}` }
      : { type: ChangeType.Insert, index: metadata.getStart(source) + 1, text: ` providers: [${className}] ` };
  }
  const list = providers.initializer;
  if (!ts.isArrayLiteralExpression(list)) {
    throw new GeneratorOptionError(`The providers of the @Module in ${modulePath} are not an array literal; add ${className} to them by hand.`);
  }
  if (list.elements.some((element) => ts.isIdentifier(element) && element.text === className)) return undefined;

  const elements = list.elements;
  if (elements.length === 0) return { type: ChangeType.Insert, index: list.getStart(source) + 1, text: className };
  const last = elements[elements.length - 1];
  const multiline = lineOf(source, list.getStart(source)) !== lineOf(source, last.getStart(source));
  if (multiline) {
    // One provider per line: keep that, and keep a trailing comma if the list has one.
    const index = elements.hasTrailingComma ? source.text.indexOf(',', last.getEnd()) + 1 : last.getEnd();
    const text = elements.hasTrailingComma ? `\n${indentOf(source, last)}${className},` : `,\n${indentOf(source, last)}${className}`;
    return { type: ChangeType.Insert, index, text };
  }
  return { type: ChangeType.Insert, index: last.getEnd(), text: `, ${className}` };
}

/** The object literal of the first `@Module({...})` on a class in the file. */
function findModuleMetadata(source: ts.SourceFile): ts.ObjectLiteralExpression | undefined {
  for (const statement of source.statements) {
    if (!ts.isClassDeclaration(statement)) continue;
    for (const decorator of ts.getDecorators(statement) ?? []) {
      const call = decorator.expression;
      if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression) || call.expression.text !== 'Module') continue;
      const metadata = call.arguments[0];
      if (metadata && ts.isObjectLiteralExpression(metadata)) return metadata;
    }
  }
  return undefined;
}

function lineOf(source: ts.SourceFile, position: number): number {
  return source.getLineAndCharacterOfPosition(position).line;
}

function indentOf(source: ts.SourceFile, node: ts.Node): string {
  const start = node.getStart(source);
  const lineStart = source.getPositionOfLineAndCharacter(lineOf(source, start), 0);
  return source.text.slice(lineStart, start).match(/^\s*/)?.[0] ?? '';
}
