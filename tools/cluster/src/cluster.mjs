#!/usr/bin/env node
// npm run cluster -- up | images | down | status | soak
//   up      builds the pinned binaries on first use, then starts a single-node Kubernetes on this
//           machine (host processes), its registry, the Entra emulator and the sample backend;
//           creates the guide's Step 4 federated credentials; writes .cluster/env.
//   images  builds both apps' images, pushes them to the cluster's registry, and appends
//           IMAGE_TAG to .cluster/env.
//   down    stops every process `up` started (by pid) and removes all it created on the host.
//   status  what runs, and where.
//   soak    the guide's releases under mixed load with faults injected, for --minutes (10); see soak.mjs.
// Needs root (it runs a kubelet). Idempotent: `up` twice leaves one cluster.
import { execFileSync, spawnSync } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import fs from 'node:fs';
import path from 'node:path';
import { addonManifests } from './addons.mjs';
import { createFederatedCredentials, federatedCredentialCommands, startAzureStandIns } from './azure-stand-ins.mjs';
import { components, prepareWebhookCerts } from './components.mjs';
import {
  writeContainerdConfig, writeCniConfig, writeCorefile, writeKubeconfig, writeKubeletConfig, writeKubeProxyConfig, writeRegistryConfig,
  writeWebhookEnvironment,
} from './config-files.mjs';
import { logFile, runningPid, startDaemon, stopDaemon, waitFor } from './daemons.mjs';
import { readEnvFile, setEnvVariable, writeEnvFile, writeLocalEntraValues } from './env-file.mjs';
import { recordFootprint, restoreHost, setUpHostNetwork, unmountBelow } from './host.mjs';
import { applyObjects, kubectl, tryKubectl } from './kubectl.mjs';
import { binDir, ensureDirs, envFile, network, nodeName, repoRoot, stateDir } from './layout.mjs';
import { clientIdentities, ensurePki } from './pki.mjs';
import { ensurePauseImage } from './registry.mjs';
import { killShims, removeAllContainers, removeKubeletCgroups } from './runtime-cleanup.mjs';
import { soak } from './soak.mjs';

const say = (/** @type {string} */ message) => process.stdout.write(`cluster: ${message}\n`);
const STAND_INS = ['sample-backend', 'entra-emulator'];

function installTools() {
  const result = spawnSync('bash', [path.join(repoRoot, 'tools/cluster/scripts/install-cluster-tools.sh')], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('installing the cluster tools failed (see the lines above)');
}

async function up() {
  const started = Date.now();
  installTools();
  ensureDirs();
  recordFootprint();
  ensurePki();
  for (const name of Object.keys(clientIdentities)) writeKubeconfig(name);
  writeContainerdConfig();
  writeCniConfig();
  writeKubeletConfig();
  writeKubeProxyConfig();
  writeCorefile();
  writeWebhookEnvironment();
  writeRegistryConfig();
  prepareWebhookCerts();
  setUpHostNetwork();

  for (const component of components()) {
    const pid = startDaemon(component);
    await waitFor(component.name, component.ready, { timeoutMs: component.timeoutMs ?? 60_000, log: logFile(component.name) });
    say(`${component.name} ready (pid ${pid})`);
    if (component.name === 'registry') await ensurePauseImage();
    if (component.name === 'kube-apiserver') applyObjects(addonManifests());
  }
  await startAzureStandIns();
  say('Entra emulator and sample backend ready');

  await waitFor(`node ${nodeName} Ready`, () => kubectl(['get', 'node', nodeName, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']) === 'True', {
    timeoutMs: 120_000,
    log: logFile('kubelet'),
  });
  await checkClusterDns();
  await createFederatedCredentials();
  await waitFor('the resource metrics API', () => tryKubectl(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes']).ok, {
    timeoutMs: 120_000,
    log: logFile('metrics-server'),
  });
  writeLocalEntraValues();
  writeEnvFile();
  say(`up in ${Math.round((Date.now() - started) / 1000)} s. The guide's Step 4, as it was done in the emulator:`);
  for (const command of federatedCredentialCommands()) process.stdout.write(`  ${command}\n`);
  say(`next: npm run cluster -- images, then: . ${path.relative(process.cwd(), envFile)}`);
}

/**
 * Pods resolve cluster names and nothing beyond: a pod that asked for the real Entra endpoint would
 * get no address, so no token request can leave this machine. Checked before any pod asks.
 */
async function checkClusterDns() {
  const resolver = new Resolver({ timeout: 2000, tries: 2 });
  resolver.setServers([network.nodeIp]);
  const apiAddresses = await waitFor('cluster DNS', () => resolver.resolve4(`kubernetes.default.svc.${network.clusterDomain}`), { timeoutMs: 30_000 });
  if (!apiAddresses.includes(network.apiServiceIp)) throw new Error(`cluster DNS answered ${apiAddresses} for the kubernetes Service`);
  for (const outside of ['login.microsoftonline.com', 'management.azure.com']) {
    const answer = await resolver.resolve4(outside).then((addresses) => addresses, () => undefined);
    if (answer) throw new Error(`cluster DNS resolved ${outside} to ${answer}: pods could reach the real Entra ID`);
  }
}

async function images() {
  const env = readEnvFile();
  const tag = imageTag();
  say(`building and pushing mcp-server and mcp-client as ${env.REGISTRY}/<app>:${tag}`);
  const result = spawnSync('npx', ['nx', 'run-many', '-t', 'container', '-p', 'mcp-server', 'mcp-client', '--parallel=1', '--outputStyle=stream'], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: {
      ...process.env,
      NX_DAEMON: 'false',
      CONTAINER_REGISTRY: env.REGISTRY,
      IMAGE_TAG: tag,
      CONTAINER_PUSH: 'true',
      CONTAINER_PUSH_TLS_VERIFY: 'false',
    },
  });
  if (result.status !== 0) throw new Error('building the images failed (see the lines above)');
  setEnvVariable('IMAGE_TAG', tag);
  say(`IMAGE_TAG=${tag} added to ${path.relative(process.cwd(), envFile)}`);
}

/** The commit, and a time stamp when the work tree has changes (each build of those is another image). */
function imageTag() {
  const git = (/** @type {string[]} */ args) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
  const commit = git(['rev-parse', '--short=8', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
  return dirty ? `${commit}-dev${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}` : commit;
}

async function down() {
  const started = Date.now();
  /** Every step runs even when one before it failed; what failed is said at the end. */
  const problems = [];
  const step = async (/** @type {string} */ what, /** @type {() => unknown} */ action) => {
    try {
      await action();
    } catch (error) {
      problems.push(`${what}: ${error instanceof Error ? error.message : error}`);
    }
  };
  const all = components().reverse();
  for (const name of STAND_INS) await step(`stopping ${name}`, () => stopDaemon(name));
  for (const component of all.filter((c) => !['containerd', 'registry', 'etcd', 'kube-apiserver'].includes(c.name))) {
    await step(`stopping ${component.name}`, () => stopDaemon(component.name));
  }
  await step('removing containers', removeAllContainers);
  await step('stopping containerd', () => stopDaemon('containerd'));
  await step('stopping shims', killShims);
  for (const name of ['kube-apiserver', 'etcd', 'registry']) await step(`stopping ${name}`, () => stopDaemon(name));
  await step('removing cgroups', removeKubeletCgroups);
  await step(`unmounting below ${stateDir}`, () => unmountBelow(stateDir));
  await step('restoring the host', restoreHost);
  if (problems.length > 0) {
    throw new Error(`some of the cluster is left (run down again; the logs are in ${path.join(stateDir, 'logs')}):\n  ${problems.join('\n  ')}`);
  }
  fs.rmSync(stateDir, { recursive: true, force: true });
  say(`down in ${Math.round((Date.now() - started) / 1000)} s; nothing of the cluster is left on the host`);
}

function status() {
  const names = [...components().map((c) => c.name), ...STAND_INS.slice().reverse()];
  let running = 0;
  for (const name of names) {
    const pid = runningPid(name);
    if (pid) running += 1;
    process.stdout.write(`${name.padEnd(24)} ${pid ? `running (pid ${pid})` : 'stopped'}\n`);
  }
  if (running > 0 && runningPid('kube-apiserver')) {
    const nodes = tryKubectl(['get', 'nodes', '-o', 'wide']);
    process.stdout.write(`\n${nodes.ok ? nodes.stdout : nodes.stderr}`);
  }
  process.stdout.write(`\nbinaries: ${binDir}\nenv: ${fs.existsSync(envFile) ? envFile : '(none: run up)'}\n`);
  return running;
}

async function soakCommand() {
  if (!(await soak(process.argv.slice(3)))) process.exitCode = 1;
}

const commands = { up, images, down, status, soak: soakCommand };
const command = process.argv[2];
if (!Object.hasOwn(commands, command)) {
  process.stderr.write('usage: npm run cluster -- up | images | down | status | soak [--minutes N]\n');
  process.exit(2);
}
if (!['status', 'soak'].includes(command) && process.getuid?.() !== 0) {
  process.stderr.write(`cluster: '${command}' needs root: it runs a kubelet, containerd and iptables rules\n`);
  process.exit(1);
}
try {
  await commands[command]();
} catch (error) {
  process.stderr.write(`cluster: ${command} failed: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
}
