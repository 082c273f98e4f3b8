import { applyChangesToString, ChangeType, logger, StringChange, Tree } from '@nx/devkit';
import * as ts from 'typescript';

const PROJECT_JSON = 'charts/project.json';
const HELM_LINT = '.tools/bin/helm lint --strict';

/**
 * The charts project lints the charts it names (`helm lint --strict charts/a charts/b`) and
 * caches on their folders: add the new chart to both, so `npm test` lints it from now on.
 * Insertions at positions found by TypeScript's JSON parser, so the file keeps its layout
 * (it is not prettier-formatted, and a rewrite would reflow lines nobody changed).
 */
export function lintChartWithChartsProject(tree: Tree, chart: string): void {
  const text = tree.read(PROJECT_JSON, 'utf-8');
  if (text === null) return;
  const file = ts.parseJsonText(PROJECT_JSON, text);
  const root = file.statements[0]?.expression;
  const lint = property(property(root, 'targets'), 'lint');
  const commands = property(property(lint, 'options'), 'commands');
  const helmLint =
    commands && ts.isArrayLiteralExpression(commands)
      ? commands.elements.find((element): element is ts.StringLiteral => ts.isStringLiteral(element) && element.text.startsWith(HELM_LINT))
      : undefined;
  if (!helmLint) {
    logger.warn(`${PROJECT_JSON} has no "${HELM_LINT} ..." lint command to add charts/${chart} to; lint the chart yourself.`);
    return;
  }
  if (helmLint.text.split(' ').includes(`charts/${chart}`)) return;

  const changes: StringChange[] = [{ type: ChangeType.Insert, index: helmLint.getEnd() - 1, text: ` charts/${chart}` }];
  const inputs = property(lint, 'inputs');
  if (inputs && ts.isArrayLiteralExpression(inputs)) {
    const chartFolders = inputs.elements.filter((element) => ts.isStringLiteral(element) && element.text.startsWith('{projectRoot}/'));
    const after = chartFolders[chartFolders.length - 1] ?? inputs.elements[inputs.elements.length - 1];
    if (after) {
      const start = after.getStart(file);
      const indent = text.slice(text.lastIndexOf('\n', start) + 1, start);
      const separator = indent.trim() === '' ? `,\n${indent}` : ', ';
      changes.push({ type: ChangeType.Insert, index: after.getEnd(), text: `${separator}"{projectRoot}/${chart}/**/*"` });
    }
  }
  tree.write(PROJECT_JSON, applyChangesToString(text, changes));
}

function property(node: ts.Node | undefined, name: string): ts.Expression | undefined {
  if (!node || !ts.isObjectLiteralExpression(node)) return undefined;
  for (const candidate of node.properties) {
    if (ts.isPropertyAssignment(candidate) && ts.isStringLiteral(candidate.name) && candidate.name.text === name) return candidate.initializer;
  }
  return undefined;
}
