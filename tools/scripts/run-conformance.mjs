#!/usr/bin/env node
// Runs the official MCP conformance suite (@modelcontextprotocol/conformance) against mcp-server.
//
// Build first: `npx nx run mcp-server:build-conformance` (or run `npx nx run mcp-server:conformance`,
// which builds and then runs this script). This script builds nothing: it starts
// dist/apps/mcp-server-conformance/main.js (the server plus the suite's fixed test tools) on a free
// port, runs every scenario that applies to a tools-only server, prints a summary table and exits
// non-zero when any of them fails. The server is stopped by pid in every case.
//
// Usage: node tools/scripts/run-conformance.mjs [--report <file.json>] [--results-dir <dir>] [--verbose]
//   --report <file>      also write the results as JSON (used by the e2e spec)
//   --results-dir <dir>  keep the suite's per-scenario checks.json files there (default: a temp dir, removed)
//   --verbose            print every check of every scenario, and the server's log
// Needs Node 24 (the workspace's node_modules/.bin/node, or npx in the workspace).

import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WORKSPACE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SERVER_MAIN = path.join(WORKSPACE_ROOT, 'dist/apps/mcp-server-conformance/main.js');
const CONFORMANCE_CLI = path.join(WORKSPACE_ROOT, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
const SERVER_START_TIMEOUT_MS = 30_000;
const SCENARIO_TIMEOUT_MS = 60_000;

/** Scenarios the server must pass: its transport, lifecycle and tools (tools in src/conformance). */
const APPLICABLE = [
  'server-initialize',
  'ping',
  'tools-list',
  'tools-call-simple-text',
  'tools-call-image',
  'tools-call-audio',
  'tools-call-embedded-resource',
  'tools-call-mixed-content',
  'tools-call-error',
  'json-schema-2020-12',
  'dns-rebinding-protection',
];

/**
 * Scenarios whose check passes even when the tool answered with `isError: true` (the suite only looks
 * for a text item); here such a result counts as a failure.
 */
const MUST_NOT_BE_TOOL_ERROR = new Set(['tools-call-simple-text']);

/** Every other scenario of the suite, with the reason it does not apply. */
const NOT_APPLICABLE = {
  'logging-set-level': 'logging capability not implemented',
  'completion-complete': 'completions capability not implemented',
  'tools-call-with-logging': 'needs logging/setLevel and log notifications (logging not implemented)',
  'tools-call-with-progress': 'needs progress notifications from a tool (ToolCallContext has no progress reporting)',
  'tools-call-sampling': 'sampling (server-to-client request) not implemented',
  'tools-call-elicitation': 'elicitation not implemented',
  'elicitation-sep1034-defaults': 'elicitation not implemented',
  'elicitation-sep1330-enums': 'elicitation not implemented',
  'server-sse-polling':
    'SEP-1699 resumable SSE needs sessions and an event store; /mcp is stateless by design (the suite only warns)',
  'server-sse-multiple-streams': 'needs an Mcp-Session-Id; /mcp is stateless by design (the suite only warns)',
  'resources-list': 'resources not implemented',
  'resources-read-text': 'resources not implemented',
  'resources-read-binary': 'resources not implemented',
  'resources-templates-read': 'resources not implemented',
  'resources-subscribe': 'resource subscriptions not implemented',
  'resources-unsubscribe': 'resource subscriptions not implemented',
  'prompts-list': 'prompts not implemented',
  'prompts-get-simple': 'prompts not implemented',
  'prompts-get-with-args': 'prompts not implemented',
  'prompts-get-embedded-resource': 'prompts not implemented',
  'prompts-get-with-image': 'prompts not implemented',
};

/** Child processes still running, so that every exit path can stop them by pid. */
const children = new Set();

function parseArgs(argv) {
  const options = { report: undefined, resultsDir: undefined, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--report') options.report = path.resolve(argv[++i] ?? fail('--report needs a file'));
    else if (arg === '--results-dir') options.resultsDir = path.resolve(argv[++i] ?? fail('--results-dir needs a directory'));
    else if (arg === '--verbose') options.verbose = true;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write('Usage: node tools/scripts/run-conformance.mjs [--report <file.json>] [--results-dir <dir>] [--verbose]\n');
      process.exit(0);
    } else fail(`unknown argument: ${arg}`);
  }
  return options;
}

function fail(message) {
  process.stderr.write(`run-conformance: ${message}\n`);
  process.exit(2);
}

/** Spawns a Node script on this Node and keeps its output; the handle is registered for clean-up. */
function startNode(args, env) {
  const child = spawn(process.execPath, args, { cwd: WORKSPACE_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const output = [];
  child.stdout.on('data', (chunk) => output.push(chunk.toString('utf8')));
  child.stderr.on('data', (chunk) => output.push(chunk.toString('utf8')));
  const exited = new Promise((resolve) => {
    child.once('error', (error) => {
      output.push(String(error));
      resolve({ code: null, signal: null });
    });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  void exited.then(() => children.delete(child));
  return { child, output, exited };
}

/** SIGTERM by pid, then SIGKILL if it is still alive after `graceMs`. */
async function stop(handle, graceMs = 10_000) {
  const { child, exited } = handle;
  if (!isRunning(child)) return;
  signalPid(child, 'SIGTERM');
  const timer = setTimeout(() => isRunning(child) && signalPid(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

function isRunning(child) {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

function signalPid(child, signal) {
  try {
    process.kill(child.pid, signal);
  } catch {
    // it exited in the meantime
  }
}

function killAllNow() {
  for (const child of children) if (isRunning(child)) signalPid(child, 'SIGKILL');
}

process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    killAllNow();
    process.exit(130);
  });
}

async function startServer() {
  const server = startNode([SERVER_MAIN], {
    PATH: process.env.PATH ?? '',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    // dns-rebinding-protection sends Host/Origin 127.0.0.1:<port> (must pass) and evil.example.com (must be refused).
    MCP_ALLOWED_HOSTS: 'localhost,127.0.0.1,[::1]',
  });
  const started = Date.now();
  while (Date.now() - started < SERVER_START_TIMEOUT_MS) {
    const match = /mcp-server listening on port (\d+)/.exec(server.output.join(''));
    if (match) return { ...server, port: Number(match[1]) };
    if (server.child.exitCode !== null || server.child.signalCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop(server);
  throw new Error(`the server did not start within ${SERVER_START_TIMEOUT_MS} ms; its output:\n${server.output.join('')}`);
}

async function listSuiteScenarios() {
  const list = startNode([CONFORMANCE_CLI, 'list', '--server'], { PATH: process.env.PATH ?? '' });
  const { code } = await list.exited;
  if (code !== 0) throw new Error(`conformance list failed:\n${list.output.join('')}`);
  return [...list.output.join('').matchAll(/^\s+- (\S+)/gm)].map((match) => match[1]);
}

async function runScenario(url, scenario, resultsDir) {
  const outputDir = path.join(resultsDir, scenario);
  await mkdir(outputDir, { recursive: true });
  const run = startNode([CONFORMANCE_CLI, 'server', '--url', url, '--scenario', scenario, '--output-dir', outputDir], {
    PATH: process.env.PATH ?? '',
    NO_COLOR: '1',
  });
  const timer = setTimeout(() => void stop(run, 2_000), SCENARIO_TIMEOUT_MS);
  const started = performance.now();
  const { code, signal } = await run.exited;
  clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;
  const checks = await readChecks(outputDir);
  const count = (status) => checks.filter((check) => check.status === status).length;
  const counts = { success: count('SUCCESS'), failure: count('FAILURE'), warning: count('WARNING') };
  const problems = checks.filter((check) => check.status === 'FAILURE').map((check) => `${check.name}: ${check.errorMessage ?? check.description}`);
  if (code !== 0) problems.push(`conformance CLI exited with ${signal ?? `code ${code}`}`);
  if (checks.length === 0) problems.push('no checks recorded');
  else if (counts.success === 0) problems.push('no check succeeded');
  if (MUST_NOT_BE_TOOL_ERROR.has(scenario) && checks.some((check) => check.details?.result?.isError === true)) {
    problems.push('the tool answered with isError: true');
  }
  return { scenario, passed: problems.length === 0, ...counts, seconds, problems, checks, cliOutput: run.output.join('') };
}

async function readChecks(outputDir) {
  // The CLI writes <output-dir>/server-<scenario>-<timestamp>/checks.json.
  const entries = existsSync(outputDir) ? await readdir(outputDir, { withFileTypes: true }) : [];
  const checks = [];
  for (const entry of entries.filter((candidate) => candidate.isDirectory())) {
    const file = path.join(outputDir, entry.name, 'checks.json');
    if (existsSync(file)) checks.push(...JSON.parse(await readFile(file, 'utf8')));
  }
  return checks;
}

function table(rows, headers) {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => String(row[column]).length)));
  const line = (cells) => `| ${cells.map((cell, column) => String(cell).padEnd(widths[column])).join(' | ')} |`;
  return [line(headers), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (Number(process.versions.node.split('.')[0]) < 24) {
    fail(`Node ${process.versions.node} is too old; run with the workspace's Node 24 (node_modules/.bin/node or npx)`);
  }
  if (!existsSync(SERVER_MAIN)) fail(`${path.relative(WORKSPACE_ROOT, SERVER_MAIN)} is missing: run \`npx nx run mcp-server:build-conformance\` first`);
  if (!existsSync(CONFORMANCE_CLI)) fail('@modelcontextprotocol/conformance is not installed');

  // A scenario added by a newer suite must be classified here, not skipped silently.
  const suiteScenarios = await listSuiteScenarios();
  const unclassified = suiteScenarios.filter((name) => !APPLICABLE.includes(name) && !(name in NOT_APPLICABLE));
  const unknown = APPLICABLE.filter((name) => !suiteScenarios.includes(name));
  if (unclassified.length > 0 || unknown.length > 0) {
    fail(
      [
        unclassified.length > 0 ? `scenarios not classified as applicable or not applicable: ${unclassified.join(', ')}` : '',
        unknown.length > 0 ? `applicable scenarios the suite does not have: ${unknown.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; '),
    );
  }

  const resultsDir = options.resultsDir ?? (await mkdtemp(path.join(os.tmpdir(), 'mcp-conformance-')));
  const started = performance.now();
  let server;
  const results = [];
  try {
    server = await startServer();
    const url = `http://127.0.0.1:${server.port}/mcp`;
    process.stdout.write(`mcp-server (conformance build) listening on ${url} (pid ${server.child.pid})\n`);
    for (const scenario of APPLICABLE) {
      const result = await runScenario(url, scenario, resultsDir);
      results.push(result);
      process.stdout.write(`${result.passed ? 'PASS' : 'FAIL'} ${scenario}\n`);
      if (options.verbose || !result.passed) {
        for (const check of result.checks) process.stdout.write(`     ${check.status.padEnd(7)} ${check.id}${check.errorMessage ? `: ${check.errorMessage}` : ''}\n`);
        for (const problem of result.problems) process.stdout.write(`     -> ${problem}\n`);
        if (!result.passed && result.checks.length === 0) process.stdout.write(result.cliOutput.replace(/^/gm, '     | '));
      }
    }
  } finally {
    if (server) {
      await stop(server);
      if (options.verbose || results.some((result) => !result.passed)) {
        process.stdout.write(`\n--- server output ---\n${server.output.join('')}\n`);
      }
    }
    if (!options.resultsDir) await rm(resultsDir, { recursive: true, force: true });
  }
  const totalSeconds = (performance.now() - started) / 1000;

  const rows = [
    ...results.map((result) => [
      result.scenario,
      result.passed ? 'passed' : 'FAILED',
      `${result.success}/${result.failure}/${result.warning}`,
      result.problems.join('; ').slice(0, 100),
    ]),
    ...Object.entries(NOT_APPLICABLE).map(([scenario, reason]) => [scenario, 'not applicable', '-', reason]),
  ];
  process.stdout.write(`\n${table(rows, ['scenario', 'result', 'ok/fail/warn', 'note'])}\n`);
  const failed = results.filter((result) => !result.passed);
  process.stdout.write(
    `\n${results.length - failed.length}/${results.length} applicable scenarios passed, ` +
      `${Object.keys(NOT_APPLICABLE).length} not applicable, ${totalSeconds.toFixed(1)} s\n`,
  );

  if (options.report) {
    const report = {
      suiteVersion: JSON.parse(await readFile(path.join(path.dirname(CONFORMANCE_CLI), '../package.json'), 'utf8')).version,
      seconds: totalSeconds,
      results: results.map(({ scenario, passed, success, failure, warning, seconds, problems }) => ({
        scenario,
        passed,
        success,
        failure,
        warning,
        seconds,
        problems,
      })),
      notApplicable: NOT_APPLICABLE,
    };
    await writeFile(options.report, `${JSON.stringify(report, null, 2)}\n`);
  }
  process.exitCode = failed.length > 0 ? 1 : 0;
}

main().catch((error) => {
  process.stderr.write(`run-conformance: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  killAllNow();
  process.exit(1);
});
