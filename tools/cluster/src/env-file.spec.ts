import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

// .cluster/env as a person uses it: sourced by bash.
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-env-'));
process.env.MCP_CLUSTER_STATE_DIR = stateDir;
const { readEnvFile, setEnvVariable, writeEnvFile, writeLocalEntraValues } = await import('./env-file.mjs');
const { binDir, helmBinDir } = await import('./layout.mjs');

const sourced = (file: string, expression: string) => execFileSync('bash', ['-c', `. "${file}" && echo "${expression}"`], { encoding: 'utf8' }).trim();

describe('.cluster/env', () => {
  afterAll(() => fs.rmSync(stateDir, { recursive: true, force: true }));

  it('gives the variables the guide needs, and puts the cluster\'s kubectl and helm first on PATH', () => {
    const file = writeEnvFile();
    expect(sourced(file, '$TENANT_ID $UAMI_ID $REGISTRY $BACKEND_SCOPE')).toBe(
      '00000000-0000-0000-0000-000000000001 11111111-1111-1111-1111-111111111111 127.0.0.1:5000 api://mcp-sample-backend/.default',
    );
    expect(sourced(file, '$KUBECONFIG')).toBe(path.join(stateDir, 'kubeconfigs/admin.kubeconfig'));
    expect(sourced(file, '$PATH').split(':').slice(0, 2)).toEqual([binDir, helmBinDir]);
    expect(sourced(file, '$AUTHORITY_HOST $BACKEND_API_URL')).toBe('https://10.244.0.1:8443 http://10.244.0.1:8081');
  });

  it('replaces a variable rather than adding it twice', () => {
    const file = writeEnvFile();
    setEnvVariable('IMAGE_TAG', 'abc123');
    setEnvVariable('IMAGE_TAG', 'def456');
    expect(fs.readFileSync(file, 'utf8').match(/IMAGE_TAG/g)).toHaveLength(1);
    expect(sourced(file, '$IMAGE_TAG')).toBe('def456');
    expect(readEnvFile()).toMatchObject({ IMAGE_TAG: 'def456', REGISTRY: '127.0.0.1:5000' });
  });

  it('keeps the image tag when up writes the file again', () => {
    writeEnvFile();
    setEnvVariable('IMAGE_TAG', 'kept123');
    writeEnvFile();
    expect(readEnvFile()).toMatchObject({ IMAGE_TAG: 'kept123' });
  });

  it('writes the values that make the charts trust the emulator and skip instance discovery', () => {
    const values = parse(fs.readFileSync(writeLocalEntraValues(), 'utf8'));
    expect(values.azure).toEqual({ authorityHost: 'https://10.244.0.1:8443' });
    expect(values.extraEnv).toEqual([
      { name: 'NODE_EXTRA_CA_CERTS', value: '/etc/ssl/extra-ca/ca.crt' },
      { name: 'AZURE_DISABLE_INSTANCE_DISCOVERY', value: 'true' },
    ]);
    expect(values.extraVolumeMounts[0]).toMatchObject({ name: 'extra-ca', mountPath: '/etc/ssl/extra-ca', readOnly: true });
    expect(values.extraVolumes[0]).toEqual({ name: 'extra-ca', configMap: { name: 'extra-ca-bundle' } });
  });
});
