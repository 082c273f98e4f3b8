import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { RunningEntraEmulator } from '@mcp-platform/testing';
import type { Volume } from './running-container';

/** Where the AKS workload identity webhook mounts the projected token, and its file name there. */
export const TOKEN_FOLDER = '/var/run/secrets/azure/tokens';
export const TOKEN_FILE = `${TOKEN_FOLDER}/azure-identity-token`;
/** The emulator's CA, for NODE_EXTRA_CA_CERTS (in AKS, Entra's certificate chains to a public root). */
const EMULATOR_CA = '/var/run/secrets/entra-emulator/ca.pem';

/**
 * What the workload identity webhook gives a pod of `serviceAccount`: the AZURE_* variables and
 * a projected token in its own folder, which the emulator writes (and rotates) as the kubelet
 * does. The folder, not the file, is mounted: rotation replaces the file (write and rename).
 */
export async function podIdentity(emulator: RunningEntraEmulator, serviceAccount: string): Promise<{ env: Record<string, string>; volumes: Volume[] }> {
  const folder = `pods/${serviceAccount}-${randomBytes(3).toString('hex')}`;
  await emulator.control('service-account-token', { file: `${folder}/azure-identity-token`, namespace: 'mcp-system', serviceAccount });
  return {
    env: {
      ...emulator.workloadIdentityEnv(serviceAccount),
      AZURE_FEDERATED_TOKEN_FILE: TOKEN_FILE,
      NODE_EXTRA_CA_CERTS: EMULATOR_CA,
    },
    volumes: [
      { source: path.join(emulator.stateDir, folder), target: TOKEN_FOLDER },
      { source: emulator.caCertPath, target: EMULATOR_CA },
    ],
  };
}
