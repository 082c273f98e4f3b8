import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WORKSPACE_ROOT } from '@mcp-platform/testing';

/**
 * Runs the official MCP conformance suite (@modelcontextprotocol/conformance) through
 * tools/scripts/run-conformance.mjs, which starts dist/apps/mcp-server-conformance (target
 * mcp-server:build-conformance, a dependency of this project's test target) on a free port and
 * stops it by pid when done.
 */
const SCRIPT = path.join(WORKSPACE_ROOT, 'tools/scripts/run-conformance.mjs');

/** The scenarios the server must pass (the script's APPLICABLE list). */
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

interface ScenarioResult {
  scenario: string;
  passed: boolean;
  success: number;
  failure: number;
  warning: number;
  problems: string[];
}

interface Report {
  results: ScenarioResult[];
  notApplicable: Record<string, string>;
}

describe('MCP conformance suite', () => {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'mcp-conformance-e2e-'));
  const reportFile = path.join(workDir, 'report.json');
  let child: ChildProcess | undefined;
  let exitCode: number | null;
  let output = '';
  let report: Report;

  beforeAll(async () => {
    child = spawn(process.execPath, [SCRIPT, '--report', reportFile], {
      cwd: WORKSPACE_ROOT,
      env: { PATH: process.env['PATH'] ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    exitCode = await new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    report = JSON.parse(readFileSync(reportFile, 'utf8')) as Report;
  }, 120_000);

  afterAll(() => {
    // Only when beforeAll timed out: the script stops the server itself on SIGTERM.
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGTERM');
    rmSync(workDir, { recursive: true, force: true });
  });

  it('exits 0', () => {
    expect({ exitCode, output }).toEqual({ exitCode: 0, output: expect.any(String) });
  });

  it('runs exactly the applicable scenarios', () => {
    expect(report.results.map((result) => result.scenario)).toEqual(APPLICABLE);
  });

  it.each(APPLICABLE)('passes %s', (scenario) => {
    const result = report.results.find((candidate) => candidate.scenario === scenario);
    expect(result).toMatchObject({ passed: true, failure: 0, problems: [] });
    expect(result?.success).toBeGreaterThan(0);
  });

  it('names a reason for every scenario it does not run', () => {
    expect(Object.keys(report.notApplicable).length).toBeGreaterThan(0);
    for (const [scenario, reason] of Object.entries(report.notApplicable)) {
      expect(APPLICABLE).not.toContain(scenario);
      expect(reason).toEqual(expect.any(String));
    }
  });
});
