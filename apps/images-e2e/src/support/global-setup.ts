import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { WORKSPACE_ROOT } from './workspace';
import { builtImage, IMAGE_APPS } from './built-images';

/**
 * Jest globalSetup: the images must have been built (the test:images target's dependencies
 * do that), and podman must be there to run buildah's images: it is installed when missing.
 * A failure here fails the run; nothing is skipped.
 */
export default function globalSetup(): void {
  const images = IMAGE_APPS.map(builtImage);
  if (images.some((image) => image.engine === 'buildah')) {
    execFileSync('bash', [path.join(WORKSPACE_ROOT, 'tools/scripts/container/install-container-tools.sh'), 'podman'], { stdio: 'inherit' });
  }
  for (const image of images) process.stdout.write(`\n${image.image}: ${image.size}, built with ${image.engine} in ${image.seconds} s\n`);
}
