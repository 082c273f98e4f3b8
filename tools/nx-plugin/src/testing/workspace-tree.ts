import { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const WORKSPACE_ROOT = join(__dirname, '../../../..');

/**
 * createTreeWithEmptyWorkspace(), formatting as this workspace does: prettier with the real
 * .prettierrc (the empty workspace defaults to oxfmt, which is not installed here).
 */
export function createWorkspaceTree(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  tree.delete('.oxfmtrc.json');
  tree.write('.prettierrc', readFileSync(join(WORKSPACE_ROOT, '.prettierrc'), 'utf-8'));
  return tree;
}

/**
 * Copies files of the real workspace into the tree, read at test time so the fixtures follow
 * the repository. In a tree every fixture is a pending change, which formatFiles would format;
 * on disk they are existing files it never sees, so they are listed in .prettierignore.
 */
export function copyFromWorkspace(tree: Tree, ...paths: string[]): void {
  const ignored: string[] = [];
  for (const path of paths) {
    const absolute = join(WORKSPACE_ROOT, path);
    const files = statSync(absolute).isDirectory() ? filesUnder(absolute) : [absolute];
    for (const file of files) tree.write(relative(WORKSPACE_ROOT, file), readFileSync(file));
    ignored.push(`/${path}`);
  }
  tree.write('.prettierignore', `${tree.read('.prettierignore', 'utf-8') ?? ''}\n${ignored.join('\n')}\n`);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
