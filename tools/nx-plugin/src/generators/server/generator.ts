import {
  addProjectConfiguration,
  formatFiles,
  generateFiles,
  getProjects,
  joinPathFragments,
  ProjectConfiguration,
  Tree,
} from '@nx/devkit';
import { checkDnsLabel } from '../../utils/dns-label';
import { GeneratorOptionError } from '../../utils/generator-option-error';
import { toolNames } from '../../utils/tool-names';
import { addTool } from '../tool/generator';
import { copyChart } from './chart-copy';
import { lintChartWithChartsProject } from './charts-project';
import { allowInDockerContext, containerTarget, writeDockerfile } from './container';
import { ServerGeneratorSchema } from './schema';

/** The app whose wiring, image and chart a new server copies. */
const SOURCE_APP = 'mcp-server';

export async function serverGenerator(tree: Tree, options: ServerGeneratorSchema): Promise<void> {
  const name = checkDnsLabel('name', options.name, 'billing-mcp');
  const appRoot = `apps/${name}`;
  const projects = getProjects(tree);
  if (projects.has(name)) throw new GeneratorOptionError(`A project named "${name}" already exists.`);
  for (const path of [appRoot, `charts/${name}`]) {
    if (tree.exists(path)) throw new GeneratorOptionError(`${path} already exists: choose another name.`);
  }
  if (!tree.exists(`charts/${SOURCE_APP}/Chart.yaml`)) {
    throw new GeneratorOptionError(`The new chart is a copy of charts/${SOURCE_APP}, which is missing.`);
  }
  const example = options.skipExampleTool ? undefined : toolNames(options.exampleTool ?? 'example-search');
  const source = projects.get(SOURCE_APP);

  addProjectConfiguration(tree, name, projectConfiguration(tree, name, source));
  generateFiles(tree, joinPathFragments(__dirname, 'files/app'), appRoot, { name, exampleToolName: example?.toolName ?? '' });
  writeDockerfile(tree, source?.root ?? `apps/${SOURCE_APP}`, SOURCE_APP, appRoot, name);
  allowInDockerContext(tree, name);
  if (example) addTool(tree, { name: example.fileName, project: name });
  if (!options.skipFormat) await formatFiles(tree);

  // After formatting on purpose: chart templates are Go templates, which prettier would take
  // for YAML and rewrite, so the copy stays byte for byte the source chart's, names aside; and
  // charts/project.json is edited in place, not reformatted.
  copyChart(tree, SOURCE_APP, name);
  lintChartWithChartsProject(tree, name);
}

export default serverGenerator;

function projectConfiguration(tree: Tree, name: string, source: ProjectConfiguration | undefined): ProjectConfiguration {
  const root = `apps/${name}`;
  return {
    root,
    sourceRoot: `${root}/src`,
    projectType: 'application',
    tags: ['type:app', `scope:${name}`],
    // build (webpack.config.js), test (jest.config.cts) and lint (eslint.config.mjs) are inferred.
    targets: {
      serve: {
        continuous: true,
        executor: '@nx/js:node',
        defaultConfiguration: 'development',
        dependsOn: ['build'],
        options: { buildTarget: `${name}:build`, runBuildTargetDependencies: false },
        configurations: {
          development: { buildTarget: `${name}:build:development` },
          production: { buildTarget: `${name}:build:production` },
        },
      },
      'prune-lockfile': {
        dependsOn: ['build'],
        cache: true,
        executor: '@nx/js:prune-lockfile',
        outputs: [`{workspaceRoot}/dist/${root}/package.json`, `{workspaceRoot}/dist/${root}/package-lock.json`],
        options: { buildTarget: 'build' },
      },
      'copy-workspace-modules': {
        dependsOn: ['build'],
        cache: true,
        outputs: [`{workspaceRoot}/dist/${root}/workspace_modules`],
        executor: '@nx/js:copy-workspace-modules',
        options: { buildTarget: 'build' },
      },
      prune: { dependsOn: ['prune-lockfile', 'copy-workspace-modules'], executor: 'nx:noop' },
      container: containerTarget(tree, source?.targets?.['container'], SOURCE_APP, name),
      test: { options: { passWithNoTests: true } },
    },
  };
}
