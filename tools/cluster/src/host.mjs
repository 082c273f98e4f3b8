// What the cluster changes on the host outside its state folder, and how `down` puts it back:
// the pods' bridge, ip_forward, iptables chains (its own egress fence, kube-proxy's and the
// kubelet's), network namespaces, mounts below the state folder, and the few fixed paths the
// kubelet and containerd write. What existed before `up` is recorded and left in place.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { network, stateDir } from './layout.mjs';

const footprintFile = path.join(stateDir, 'host-footprint.json');
/** Paths the kubelet and containerd 1.6 create whatever their configuration says. */
const FIXED_PATHS = ['/run/containerd', '/var/log/containers', '/var/log/pods', '/var/lib/kubelet', '/var/run/netns', '/etc/kubernetes'];
const SYSCTLS = ['/proc/sys/net/ipv4/ip_forward', '/proc/sys/net/bridge/bridge-nf-call-iptables'];
const EGRESS_CHAIN = 'MCP-LOCAL-EGRESS';

const run = (/** @type {string} */ command, /** @type {string[]} */ args) =>
  spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const must = (/** @type {string} */ command, /** @type {string[]} */ args) =>
  execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Records, once per cluster, which fixed paths and sysctl values the host had before `up`. */
export function recordFootprint() {
  if (fs.existsSync(footprintFile)) return;
  const footprint = {
    existingPaths: FIXED_PATHS.filter((p) => fs.existsSync(p)),
    sysctls: Object.fromEntries(SYSCTLS.filter((p) => fs.existsSync(p)).map((p) => [p, fs.readFileSync(p, 'utf8').trim()])),
  };
  fs.mkdirSync(stateDir, { recursive: true });
  fs.writeFileSync(footprintFile, `${JSON.stringify(footprint, null, 2)}\n`);
}

export function setUpHostNetwork() {
  if (run('ip', ['link', 'show', network.bridge]).status !== 0) {
    must('ip', ['link', 'add', network.bridge, 'type', 'bridge']);
  }
  const addresses = must('ip', ['-o', 'addr', 'show', 'dev', network.bridge]);
  if (!addresses.includes(` ${network.bridgeAddress} `)) must('ip', ['addr', 'add', network.bridgeAddress, 'dev', network.bridge]);
  must('ip', ['link', 'set', network.bridge, 'up']);
  // Pods reach each other through Services only when bridged frames pass iptables (conntrack
  // undoes kube-proxy's DNAT on the way back) and the host forwards between them.
  fs.writeFileSync('/proc/sys/net/ipv4/ip_forward', '1');
  if (fs.existsSync(SYSCTLS[1])) fs.writeFileSync(SYSCTLS[1], '1');
  installEgressFence();
}

/**
 * Pods may talk to each other and to the host services on the bridge address, and to nothing else:
 * every forwarded packet from the pod range to an address outside it is dropped.
 */
function installEgressFence() {
  if (run('iptables', ['-w', '-n', '-L', EGRESS_CHAIN]).status !== 0) must('iptables', ['-w', '-N', EGRESS_CHAIN]);
  must('iptables', ['-w', '-F', EGRESS_CHAIN]);
  must('iptables', ['-w', '-A', EGRESS_CHAIN, '-s', network.podCidr, '-d', network.podCidr, '-j', 'RETURN']);
  must('iptables', ['-w', '-A', EGRESS_CHAIN, '-s', network.podCidr, '-j', 'DROP']);
  if (run('iptables', ['-w', '-C', 'FORWARD', '-j', EGRESS_CHAIN]).status !== 0) must('iptables', ['-w', '-I', 'FORWARD', '1', '-j', EGRESS_CHAIN]);
}

/** Every chain in `table` whose name kube-proxy, the kubelet, CNI or this cluster gave it. */
function ourChains(/** @type {string} */ table) {
  const listing = run('iptables-save', ['-t', table]).stdout ?? '';
  return [...listing.matchAll(/^:(\S+)/gm)]
    .map((match) => match[1])
    .filter((chain) => /^(KUBE-|CNI-|MCP-LOCAL-)/.test(chain));
}

/** Removes the chains and every rule that jumps to them, in every table. */
export function removeIptablesChains() {
  for (const table of ['filter', 'nat', 'mangle']) {
    const chains = new Set(ourChains(table));
    if (chains.size === 0) continue;
    const rules = (run('iptables-save', ['-t', table]).stdout ?? '').split('\n');
    // Rules in built-in chains that jump to ours go first, then our chains are flushed and deleted.
    for (const rule of rules) {
      const match = /^-A (\S+) (.*-j (\S+).*)$/.exec(rule);
      if (match && !chains.has(match[1]) && chains.has(match[3])) {
        run('iptables', ['-w', '-t', table, '-D', match[1], ...splitRule(match[2])]);
      }
    }
    for (const chain of chains) run('iptables', ['-w', '-t', table, '-F', chain]);
    for (const chain of chains) run('iptables', ['-w', '-t', table, '-X', chain]);
  }
}

/** iptables-save prints quoted comments; split a rule back into arguments. */
function splitRule(/** @type {string} */ rule) {
  return [...rule.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((match) => (match[1] !== undefined ? match[1] : match[2]));
}

/** Mount points at or below `root`, deepest first. */
export function mountsBelow(/** @type {string} */ root) {
  const mounts = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(Boolean).map((line) => unescapeMount(line.split(' ')[4]));
  return [...new Set(mounts.filter((point) => point === root || point.startsWith(`${root}/`)))].sort((a, b) => b.length - a.length);
}
const unescapeMount = (/** @type {string} */ point) => point.replace(/\\(\d{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8)));

export function unmountBelow(/** @type {string} */ root) {
  for (let round = 0; round < 3; round += 1) {
    const points = mountsBelow(root);
    if (points.length === 0) return;
    for (const point of points) run('umount', ['-l', point]);
  }
  const left = mountsBelow(root);
  if (left.length > 0) throw new Error(`could not unmount ${left.join(', ')}`);
}

/** Network namespaces that containerd made for pods (cni-<uuid>), unmounted and removed. */
export function removePodNetns() {
  const dir = '/var/run/netns';
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir).filter((entry) => entry.startsWith('cni-'))) {
    run('umount', [path.join(dir, name)]);
    fs.rmSync(path.join(dir, name), { force: true });
  }
}

/** Puts the host back as `recordFootprint` found it. */
export function restoreHost() {
  removeIptablesChains();
  if (run('ip', ['link', 'show', network.bridge]).status === 0) run('ip', ['link', 'delete', network.bridge]);
  // veths of pods go with their namespaces; any left over (a crash mid-teardown) are ours by prefix.
  const links = run('ip', ['-o', 'link', 'show', 'type', 'veth']).stdout ?? '';
  for (const match of links.matchAll(/^\d+: (veth[0-9a-f]+)@/gm)) {
    const master = run('ip', ['-o', 'link', 'show', match[1]]).stdout ?? '';
    if (master.includes(`master ${network.bridge} `)) run('ip', ['link', 'delete', match[1]]);
  }
  removePodNetns();
  let footprint = { existingPaths: [], sysctls: {} };
  try {
    footprint = JSON.parse(fs.readFileSync(footprintFile, 'utf8'));
  } catch {
    // no record: leave paths and sysctls alone
    return;
  }
  for (const [file, value] of Object.entries(footprint.sysctls)) {
    try {
      fs.writeFileSync(file, value);
    } catch {
      // a sysctl that vanished (module unloaded) needs no restoring
    }
  }
  for (const fixed of FIXED_PATHS) {
    if (footprint.existingPaths.includes(fixed) || !fs.existsSync(fixed)) continue;
    unmountBelow(fixed);
    fs.rmSync(fixed, { recursive: true, force: true });
  }
}
