#!/usr/bin/env node
// `npm run bench` (add `-- --quick` for a smoke run under a minute and a half). Runs the sections
// below against the production-built servers, prints a table and the targets of each, and writes
// everything as JSON (tmp/bench/ by default) so runs can be compared.
// Flags: --quick, --rounds N, --duration S, --warmup S, --connections N, --out FILE,
//        --only echo,backend,facade,memory (default: all), --profile DIR (a --cpu-prof of every
//        MCP server process the sections start, written to DIR when it stops).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasTaskset, LOAD_CORE, root, SERVER_CORE } from './lib/processes.mjs';
import { backendSection } from './sections/backend.mjs';
import { echoSection } from './sections/echo.mjs';
import { facadeSection } from './sections/facade.mjs';
import { memorySection } from './sections/memory.mjs';

const argv = process.argv.slice(2);
const flag = (name, fallback) => {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? argv[index + 1] : fallback;
};
const quick = argv.includes('--quick');
const sections = { echo: echoSection, backend: backendSection, facade: facadeSection, memory: memorySection };
const selected = flag('only', Object.keys(sections).join(',')).split(',');
for (const name of selected) if (!sections[name]) throw new Error(`--only: no section "${name}" (there are ${Object.keys(sections).join(', ')})`);

if (flag('profile')) process.env.BENCH_PROFILE_DIR = path.resolve(flag('profile'));

const settings = {
  quick,
  rounds: Number(flag('rounds', quick ? 1 : 3)),
  durationSeconds: Number(flag('duration', quick ? 3 : 10)),
  warmupSeconds: Number(flag('warmup', quick ? 1 : 3)),
  connections: Number(flag('connections', 50)),
  workDir: mkdtempSync(path.join(os.tmpdir(), 'mcp-bench-')),
  progress: (line) => process.stdout.write(`  ${line}\n`),
};

function printTable({ title, columns, rows, targets }) {
  console.log(`\n### ${title}\n`);
  console.log(`| ${columns.map(([, header]) => header).join(' | ')} |`);
  console.log(`| ${columns.map((_, index) => (index === 0 ? '---' : '---:')).join(' | ')} |`);
  for (const row of rows) console.log(`| ${columns.map(([key, , format]) => (format ? format(row[key]) : row[key])).join(' | ')} |`);
  console.log('');
  for (const [label, met] of targets) console.log(`  ${met ? 'met    ' : 'MISSED '} ${label}`);
}

async function main() {
  console.log(
    `MCP benchmark: ${settings.rounds} round(s) of ${settings.durationSeconds} s (+${settings.warmupSeconds} s warm-up), ${settings.connections} connections, ` +
      `${hasTaskset ? `servers on core ${SERVER_CORE}, load on core ${LOAD_CORE}` : 'NOT pinned (no taskset)'}, Node ${process.version}, ${os.cpus().length} cores`,
  );
  const results = {};
  for (const name of selected) {
    results[name] = await sections[name](settings);
    printTable(results[name]);
  }
  const missed = Object.values(results).flatMap((section) => section.targets.filter(([, met]) => !met));
  console.log(`\n${missed.length === 0 ? 'All targets met.' : `${missed.length} target(s) missed.`}`);

  const out = flag('out', path.join(root, 'tmp/bench', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`));
  mkdirSync(path.dirname(out), { recursive: true });
  const serializable = Object.fromEntries(
    Object.entries(results).map(([name, { title, rows, targets }]) => [name, { title, rows, targets: targets.map(([label, met]) => ({ label, met })) }]),
  );
  writeFileSync(out, JSON.stringify({ settings: { ...settings, progress: undefined }, node: process.version, pinned: hasTaskset, sections: serializable }, null, 2));
  console.log(`JSON: ${path.relative(root, out)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
