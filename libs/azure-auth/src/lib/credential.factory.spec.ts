import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ClientAssertionCredential, ChainedTokenCredential } from '@azure/identity';
import { selectCredential } from './credential.factory';
import { FederatedTokenFile } from './federated-token-file';

describe('selectCredential', () => {
  const tokenFile = path.join(mkdtempSync(path.join(tmpdir(), 'wi-')), 'token');

  it('uses workload identity when the webhook has mounted a token file', () => {
    const selected = selectCredential({ tenantId: 't', clientId: 'c', federatedTokenFile: tokenFile });
    expect(selected.mode).toBe('workload-identity');
    expect(selected.credential).toBeInstanceOf(ClientAssertionCredential);
  });

  it('uses the developer chain when only a tenant or client is configured', () => {
    const selected = selectCredential({ tenantId: 't' });
    expect(selected.mode).toBe('developer');
    expect(selected.credential).toBeInstanceOf(ChainedTokenCredential);
  });

  it('uses no credential when nothing is configured, or when told so', () => {
    expect(selectCredential({})).toEqual({ mode: 'none' });
    expect(selectCredential({ credential: 'none', federatedTokenFile: tokenFile, tenantId: 't', clientId: 'c' })).toEqual({ mode: 'none' });
  });

  it('names what forced workload identity lacks', () => {
    expect(() => selectCredential({ credential: 'workload-identity', tenantId: 't' })).toThrow(/needs clientId, federatedTokenFile/);
  });
});

describe('FederatedTokenFile', () => {
  it('reads the new assertion as soon as the kubelet swaps the file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wi-'));
    const file = path.join(dir, 'token');
    writeFileSync(file, 'first-assertion\n');
    const reader = new FederatedTokenFile(file);
    expect(await reader.read()).toBe('first-assertion');
    // The kubelet's atomic writer: write a new file, then rename it over the old one.
    writeFileSync(path.join(dir, 'token.new'), 'second-assertion');
    renameSync(path.join(dir, 'token.new'), file);
    expect(await reader.read()).toBe('second-assertion');
  });

  it('refuses an empty file and names it', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'wi-')), 'token');
    writeFileSync(file, '  \n');
    await expect(new FederatedTokenFile(file).read()).rejects.toThrow(`the federated token file ${file} is empty`);
  });
});
