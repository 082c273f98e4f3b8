import { resolve } from 'node:path';

/** The workspace root (tools/scripts/test-support is three levels down). */
export const repoRoot = resolve(__dirname, '../../..');
