import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WORKSPACE_ROOT } from './workspace';

export const IMAGE_APPS = ['mcp-server', 'mcp-client'] as const;
export type ImageApp = (typeof IMAGE_APPS)[number];

/** What tools/scripts/container/build-image.sh wrote to dist/images/<app>.json for the image it built. */
export interface BuiltImage {
  app: ImageApp;
  /** <registry>/<app>:<tag> */
  image: string;
  id: string;
  engine: 'docker' | 'buildah';
  /** As the engine prints it, e.g. "279 MB". */
  size: string;
  seconds: number;
}

export function builtImage(app: ImageApp): BuiltImage {
  const file = path.join(WORKSPACE_ROOT, 'dist/images', `${app}.json`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`${file} is missing: run the image tests through Nx (npx nx run images-e2e:test:images), which builds the images first`);
  }
  return JSON.parse(text) as BuiltImage;
}

/** The image's size in megabytes (10^6 bytes), from the engine's "279 MB" / "279MB" / "1.2 GB". */
export function sizeInMegabytes(image: BuiltImage): number {
  const match = /^([\d.]+)\s*(kB|MB|GB)$/i.exec(image.size.trim());
  if (!match) throw new Error(`cannot read the size '${image.size}' of ${image.image}`);
  const factor = { kb: 0.001, mb: 1, gb: 1000 }[match[2].toLowerCase() as 'kb' | 'mb' | 'gb'];
  return Number(match[1]) * factor;
}
