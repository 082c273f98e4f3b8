import { readFile, stat } from 'node:fs/promises';

/**
 * Reads the projected service-account token (the client assertion) whenever the kubelet has
 * replaced the file, and only then. @azure/identity 4.14's WorkloadIdentityCredential keeps the
 * file's content for five minutes, so a rotated or re-projected token is ignored that long; this
 * reader is what the credential factory hands to ClientAssertionCredential instead.
 */
export class FederatedTokenFile {
  private cached?: { mtimeMs: number; size: number; ino: number; assertion: string };

  constructor(readonly path: string) {}

  async read(): Promise<string> {
    const info = await stat(this.path);
    const cached = this.cached;
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size && cached.ino === info.ino) return cached.assertion;
    const assertion = (await readFile(this.path, 'utf8')).trim();
    if (!assertion) throw new Error(`the federated token file ${this.path} is empty`);
    this.cached = { mtimeMs: info.mtimeMs, size: info.size, ino: info.ino, assertion };
    return assertion;
  }
}
