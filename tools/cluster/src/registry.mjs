// The cluster's image registry (what <registry>.azurecr.io stands for): the pause image every pod
// sandbox runs, the apps' images, and tags made from existing manifests.
import { execFileSync } from 'node:child_process';
import { binDir, registryHost, repoRoot } from './layout.mjs';
import { pauseImage } from './config-files.mjs';
import path from 'node:path';

const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

/** Whether `repository:tag` is in the registry. */
export async function hasImage(/** @type {string} */ repository, /** @type {string} */ tag) {
  const response = await fetch(`http://${registryHost}/v2/${repository}/manifests/${tag}`, { method: 'HEAD', headers: { accept: MANIFEST_TYPES } });
  return response.ok;
}

/** Puts the manifest of `repository:from` under the tag `to` too (a new tag, the same image). */
export async function tagImage(/** @type {string} */ repository, /** @type {string} */ from, /** @type {string} */ to) {
  const source = await fetch(`http://${registryHost}/v2/${repository}/manifests/${from}`, { headers: { accept: MANIFEST_TYPES } });
  if (!source.ok) throw new Error(`${repository}:${from} is not in the registry (HTTP ${source.status})`);
  const body = Buffer.from(await source.arrayBuffer());
  const put = await fetch(`http://${registryHost}/v2/${repository}/manifests/${to}`, {
    method: 'PUT',
    headers: { 'content-type': source.headers.get('content-type') ?? 'application/vnd.oci.image.manifest.v1+json' },
    body,
  });
  if (!put.ok) throw new Error(`tagging ${repository}:${from} as ${to}: HTTP ${put.status} ${await put.text()}`);
}

const buildah = (/** @type {string[]} */ args) => execFileSync('buildah', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** Builds the pause image from the static program in .tools/cluster/bin and pushes it, once. */
export async function ensurePauseImage() {
  const [repository, tag] = pauseImage.slice(registryHost.length + 1).split(':');
  if (await hasImage(repository, tag)) return;
  execFileSync('bash', [path.join(repoRoot, 'tools/scripts/container/install-container-tools.sh'), 'buildah'], { stdio: 'inherit' });
  const container = buildah(['from', 'scratch']);
  try {
    buildah(['copy', '--chmod', '0755', container, path.join(binDir, 'pause'), '/pause']);
    buildah(['config', '--entrypoint', '["/pause"]', '--user', '65535:65535', container]);
    buildah(['commit', '--quiet', '--format', 'oci', container, pauseImage]);
  } finally {
    buildah(['rm', container]);
  }
  buildah(['push', '--quiet', '--tls-verify=false', pauseImage, `docker://${pauseImage}`]);
}
