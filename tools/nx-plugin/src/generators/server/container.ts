import { generateFiles, joinPathFragments, logger, TargetConfiguration, Tree } from '@nx/devkit';

const BUILD_IMAGE_SCRIPT = 'tools/scripts/container/build-image.sh';

/**
 * The source app's Dockerfile with its name replaced when it has one (so new apps follow the
 * image conventions as they stand), the template otherwise.
 */
export function writeDockerfile(tree: Tree, sourceRoot: string, source: string, appRoot: string, name: string): void {
  const sourceDockerfile = tree.read(joinPathFragments(sourceRoot, 'Dockerfile'), 'utf-8');
  if (sourceDockerfile !== null) {
    tree.write(joinPathFragments(appRoot, 'Dockerfile'), sourceDockerfile.split(source).join(name));
    return;
  }
  generateFiles(tree, joinPathFragments(__dirname, 'files/docker'), appRoot, { name });
}

/** The source app's `container` target with its name replaced, or one that builds apps/<name>/Dockerfile. */
export function containerTarget(tree: Tree, sourceTarget: TargetConfiguration | undefined, source: string, name: string): TargetConfiguration {
  if (sourceTarget) return JSON.parse(JSON.stringify(sourceTarget).split(source).join(name)) as TargetConfiguration;
  const command = tree.exists(BUILD_IMAGE_SCRIPT)
    ? `bash ${BUILD_IMAGE_SCRIPT} ${name}`
    : `docker build -f apps/${name}/Dockerfile -t ${name}:dev .`;
  return {
    executor: 'nx:run-commands',
    dependsOn: ['build'],
    cache: false,
    options: { cwd: '{workspaceRoot}', command },
  };
}

/**
 * A .dockerignore that lets only the apps' bundles into the build context ("*" then
 * "!dist/apps/<app>/" lines) needs a line for the new app, after the last such line.
 */
export function allowInDockerContext(tree: Tree, name: string): void {
  const text = tree.read('.dockerignore', 'utf-8');
  if (text === null) return;
  const lines = text.split('\n');
  const allowed = `!dist/apps/${name}/`;
  if (lines.includes(allowed)) return;
  const last = lines.reduce((found, line, index) => (line.startsWith('!dist/apps/') ? index : found), -1);
  if (last === -1) {
    logger.warn(`.dockerignore lets no app bundle in by name; check that dist/apps/${name}/ reaches the image build context.`);
    return;
  }
  lines.splice(last + 1, 0, allowed);
  tree.write('.dockerignore', lines.join('\n'));
}
