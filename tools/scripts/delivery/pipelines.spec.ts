import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  expandInputs,
  expandVariables,
  gitlabJobs,
  gitlabScript,
  Job,
  nxCommands,
  nxProjectTargets,
  readYaml,
  repoPaths,
  strings,
} from '../test-support/pipelines';
import { repoRoot } from '../test-support/repo';

// The pipelines cannot run here, so this reads them: they parse, their jobs hang together,
// every repository path they name exists and every nx target they run is a real target.
const deployEnvironments = readdirSync(join(repoRoot, 'charts', 'environments'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const charts = ['mcp-server', 'mcp-client'];

let projectTargets: Map<string, Set<string>>;

beforeAll(() => {
  projectTargets = nxProjectTargets();
}, 60_000);

/** Paths that are missing, or that still hold a variable after expansion. */
function badPaths(lines: string[]): string[] {
  return lines.flatMap(repoPaths).filter((path) => path.includes('$') || !existsSync(join(repoRoot, path)));
}

/** nx targets (and -p projects) that no project has. */
function unknownTargets(lines: string[]): string[] {
  const problems: string[] = [];
  for (const command of lines.flatMap(nxCommands)) {
    if (command.targets.length === 0) problems.push(`${command.text}: no target`);
    for (const target of command.targets) {
      const owners = command.projects.length > 0 ? command.projects : [...projectTargets.keys()];
      const found = owners.filter((project) => projectTargets.get(project)?.has(target));
      if (command.projects.length > 0 ? found.length !== owners.length : found.length === 0) {
        problems.push(`${command.text}: target ${target} missing in ${command.projects.join(', ') || 'every project'}`);
      }
    }
  }
  return problems;
}

/** The helm upgrade line of a chart must carry the guide's flags, the environment values and the commit tag. */
function expectHelmUpgrade(lines: string[], environment: string, tagVariable: string): void {
  for (const chart of charts) {
    const upgrade = lines.map((line) => line.replaceAll('"', '')).find((line) => line.includes(`helm upgrade --install ${chart} charts/${chart} `));
    expect(upgrade).toBeDefined();
    expect(upgrade).toContain('--namespace mcp-system --create-namespace --atomic --wait --timeout 5m');
    expect(upgrade).toContain(`--values charts/environments/${environment}/${chart}-values.yaml`);
    expect(upgrade).toContain(`--set image.tag=${tagVariable}`);
    expect(upgrade).toMatch(new RegExp(`--set image\\.repository=\\S+/${chart}( |$)`));
  }
}

describe('.gitlab-ci.yml', () => {
  const config = readYaml<Record<string, unknown>>('.gitlab-ci.yml');
  const jobs = gitlabJobs(config);
  const stages = config['stages'] as string[];
  const globalVariables = config['variables'] as Record<string, string>;
  const job = (name: string): Job => {
    const found = jobs.get(name);
    if (!found) throw new Error(`no job ${name}`);
    return found;
  };
  /** Script lines with the job's own and the global variables expanded. */
  const script = (name: string): string[] =>
    gitlabScript(job(name)).map((line) => expandVariables(line, { ...globalVariables, ...((job(name)['variables'] as Record<string, string>) ?? {}) }));
  const deployJobs = [...jobs.keys()].filter((name) => job(name)['stage'] === 'deploy');

  it('has the stages install, verify, charts, images and deploy, and every job in one of them', () => {
    expect(stages).toEqual(['install', 'verify', 'charts', 'images', 'deploy']);
    for (const [name, definition] of jobs) expect({ name, known: stages.includes(String(definition['stage'])) }).toEqual({ name, known: true });
  });

  it('needs only jobs that exist, in the same or an earlier stage', () => {
    for (const [name, definition] of jobs) {
      for (const needed of strings(definition['needs'])) {
        expect({ name, needed, exists: jobs.has(needed) }).toEqual({ name, needed, exists: true });
        expect(stages.indexOf(String(job(needed)['stage']))).toBeLessThanOrEqual(stages.indexOf(String(definition['stage'])));
      }
    }
  });

  it('runs Nx without the daemon or Nx Cloud', () => {
    expect(globalVariables).toMatchObject({ NX_DAEMON: 'false', NX_NO_CLOUD: 'true' });
  });

  it('installs with npm ci, then runs nx affected lint, test and build from the merge request base or the previous commit', () => {
    expect(script('install')).toContain('npm ci --no-audit --no-fund');
    const verify = script('verify').join('\n');
    expect(verify).toContain('npx nx affected -t lint test build --base="$NX_BASE" --head="$NX_HEAD"');
    expect(verify).toContain('NX_BASE="$CI_MERGE_REQUEST_DIFF_BASE_SHA"');
    expect(verify).toContain('NX_BASE="$(git rev-parse HEAD~1)"');
  });

  it('lints and tests the charts', () => {
    expect(script('charts')).toContain('npx nx run-many -t lint test -p charts --outputStyle=stream');
  });

  it('builds the affected images into the project registry, tagged with the commit, and pushes them', () => {
    const images = script('images').join('\n');
    expect(images).toContain('npx nx affected -t container --base="$NX_BASE" --head="$NX_HEAD" --registry="$CI_REGISTRY_IMAGE" --tag="$CI_COMMIT_SHORT_SHA" --push');
    expect(images).toContain('npx nx run-many -t container --registry="$CI_REGISTRY_IMAGE" --tag="$CI_COMMIT_SHORT_SHA" --push');
    expect(images).toContain('buildah login');
  });

  it('has one manual deploy job per environment under charts/environments/, in the GitLab environment of that name', () => {
    const deployed = deployJobs.map((name) => (job(name)['variables'] as Record<string, string>)['DEPLOY_ENV']).sort();
    expect(deployed).toEqual(deployEnvironments);
    for (const name of deployJobs) {
      const environment = (job(name)['variables'] as Record<string, string>)['DEPLOY_ENV'];
      expect(job(name)['environment']).toMatchObject({ name: environment });
      expect(job(name)['rules']).toEqual([expect.objectContaining({ when: 'manual' })]);
      expect(strings(job(name)['needs'])).toContain('images');
    }
  });

  it.each(deployEnvironments)('deploys %s with helm upgrade --install --atomic --wait, its values and the commit image', (environment) => {
    const name = deployJobs.find((candidate) => (job(candidate)['variables'] as Record<string, string>)['DEPLOY_ENV'] === environment) ?? '';
    expectHelmUpgrade(script(name), environment, '$CI_COMMIT_SHORT_SHA');
  });

  it('names only charts/, charts/environments/, tools/ and apps/ paths that exist', () => {
    for (const name of jobs.keys()) {
      const variables = { ...globalVariables, ...((job(name)['variables'] as Record<string, string>) ?? {}) };
      expect({ name, bad: badPaths(strings(job(name)).map((text) => expandVariables(text, variables))) }).toEqual({ name, bad: [] });
    }
  });

  it('runs only nx targets that exist', () => {
    for (const name of jobs.keys()) expect({ name, unknown: unknownTargets(script(name)) }).toEqual({ name, unknown: [] });
  });
});

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string | number>;
  env?: Record<string, string>;
}

interface WorkflowJob {
  needs?: string | string[];
  uses?: string;
  with?: Record<string, string>;
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  steps?: Step[];
}

interface Workflow {
  on: Record<string, unknown>;
  env?: Record<string, string>;
  jobs: Record<string, WorkflowJob>;
}

describe('.github/workflows', () => {
  const files = readdirSync(join(repoRoot, '.github/workflows')).filter((file) => /\.ya?ml$/.test(file));
  const workflows = new Map(files.map((file) => [file, readYaml<Workflow>(`.github/workflows/${file}`)]));
  const ci = workflows.get('ci.yml') as Workflow;
  const callers = Object.entries(ci.jobs).filter(([, job]) => job.uses !== undefined);

  /** Run lines of a job, with ${{ inputs.* }} and then $ENV expanded. */
  function runLines(workflow: Workflow, job: WorkflowJob, inputs: Record<string, string> = {}): string[] {
    return (job.steps ?? []).flatMap((step) => {
      const env = Object.fromEntries(
        Object.entries({ ...workflow.env, ...job.env, ...step.env }).map(([key, value]) => [key, expandInputs(String(value), inputs)]),
      );
      return strings([step.run ?? '', ...Object.values(step.with ?? {}).map(String)]).map((line) => expandVariables(expandInputs(line, inputs), env));
    });
  }

  const uses = (job: WorkflowJob) => (job.steps ?? []).map((step) => step.uses ?? '');

  it('include ci.yml and the deploy.yml it calls, and parse', () => {
    expect(files).toEqual(expect.arrayContaining(['ci.yml', 'deploy.yml']));
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push', 'workflow_dispatch']);
  });

  it('need only jobs that exist', () => {
    for (const workflow of workflows.values()) {
      for (const job of Object.values(workflow.jobs)) {
        for (const needed of ([] as string[]).concat(job.needs ?? [])) expect(Object.keys(workflow.jobs)).toContain(needed);
      }
    }
  });

  it('check out the full history and take the affected base from nrwl/nx-set-shas', () => {
    for (const name of ['verify', 'images']) {
      const job = ci.jobs[name];
      expect(job.steps?.[0]).toEqual({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
      expect(uses(job)).toContain('nrwl/nx-set-shas@v4');
    }
    expect(runLines(ci, ci.jobs['verify'])).toContain('npx nx affected -t lint test build --base="$NX_BASE" --head="$NX_HEAD" --parallel=2 --outputStyle=stream');
    expect(runLines(ci, ci.jobs['charts'])).toContain('npx nx run-many -t lint test -p charts --outputStyle=stream');
  });

  it('push images to GHCR with the job token', () => {
    const images = ci.jobs['images'];
    expect(images.permissions).toMatchObject({ packages: 'write' });
    expect(images.steps).toContainEqual(expect.objectContaining({ uses: 'docker/login-action@v3', with: expect.objectContaining({ registry: 'ghcr.io' }) }));
    const run = (images.steps ?? []).map((step) => step.run ?? '').join('\n');
    expect(run).toContain('npx nx affected -t container --base="$NX_BASE" --head="$NX_HEAD" --registry="$REGISTRY" --tag="$TAG" --push="$PUSH"');
    expect(run).toContain('npx nx run-many -t container --registry="$REGISTRY" --tag="$TAG" --push="$PUSH"');
  });

  it('deploy every environment under charts/environments/ through deploy.yml, in the GitHub environment of that name', () => {
    expect(callers.map(([, job]) => job.with?.['environment']).sort()).toEqual(deployEnvironments);
    const deploy = workflows.get('deploy.yml') as Workflow;
    for (const [, caller] of callers) {
      expect(caller.uses).toBe('./.github/workflows/deploy.yml');
      expect(caller.needs).toContain('images');
      expect(caller.permissions).toMatchObject({ 'id-token': 'write' });
    }
    for (const job of Object.values(deploy.jobs)) expect(job.environment).toBe('${{ inputs.environment }}');
  });

  it.each(deployEnvironments)('deploys %s with helm upgrade --install --atomic --wait, its values and the commit image', (environment) => {
    const deploy = workflows.get('deploy.yml') as Workflow;
    const lines = Object.values(deploy.jobs).flatMap((job) => runLines(deploy, job, { environment, registry: 'ghcr.io/contoso/mcp-platform', tag: '1a2b3c4d' }));
    expectHelmUpgrade(lines, environment, '1a2b3c4d');
  });

  it('name only charts/, charts/environments/, tools/ and apps/ paths that exist', () => {
    for (const [file, workflow] of workflows) {
      const inputSets = file === 'ci.yml' ? [{}] : callers.map(([, caller]) => caller.with ?? {});
      for (const inputs of inputSets) {
        for (const [name, job] of Object.entries(workflow.jobs)) {
          expect({ file, name, bad: badPaths(runLines(workflow, job, inputs)) }).toEqual({ file, name, bad: [] });
        }
      }
    }
  });

  it('run only nx targets that exist', () => {
    for (const [file, workflow] of workflows) {
      for (const [name, job] of Object.entries(workflow.jobs)) {
        expect({ file, name, unknown: unknownTargets(runLines(workflow, job)) }).toEqual({ file, name, unknown: [] });
      }
    }
  });
});
