// The emulator as a process, for the local stack. Config: argv[2], else ENTRA_EMULATOR_CONFIG, else
// config/local-stack.json. Env: PORT (8443), HOST (127.0.0.1), EXTRA_HOSTS (more listen addresses,
// comma-separated), ENTRA_EMULATOR_HOSTNAME (the host in its URLs and certificate; 127.0.0.1), STATE_DIR
// (<tmp>/entra-emulator: ca.pem and the projected token files), TOKEN_LIFETIME_SECONDS,
// TOKEN_ROTATION_SECONDS (600).
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, startEntraEmulator } from './entra-emulator.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const configPath = path.resolve(process.argv[2] ?? process.env.ENTRA_EMULATOR_CONFIG ?? path.join(here, '../config/local-stack.json'));
const config = loadConfig(configPath);
const stateDir = path.resolve(process.env.STATE_DIR ?? path.join(os.tmpdir(), 'entra-emulator'));
const numberFromEnv = (/** @type {string} */ name) => (process.env[name] ? Number(process.env[name]) : undefined);

const emulator = await startEntraEmulator({
  ...config,
  tokenLifetimeSeconds: numberFromEnv('TOKEN_LIFETIME_SECONDS') ?? config.tokenLifetimeSeconds,
  port: Number(process.env.PORT ?? 8443),
  host: process.env.HOST ?? '127.0.0.1',
  extraHosts: (process.env.EXTRA_HOSTS ?? '').split(',').filter(Boolean),
  hostname: process.env.ENTRA_EMULATOR_HOSTNAME || undefined,
  stateDir,
});

/** @type {Array<{ file: string, namespace: string, serviceAccount: string, expiresInSeconds?: number }>} */
const serviceAccountTokens = Array.isArray(config.serviceAccountTokens) ? config.serviceAccountTokens : [];
/** @type {Record<string, string>} */
const tokenFiles = {};
for (const { file, ...sa } of serviceAccountTokens) {
  const filePath = path.resolve(stateDir, file);
  await emulator.writeServiceAccountToken(filePath, sa);
  tokenFiles[sa.serviceAccount in tokenFiles ? file : sa.serviceAccount] = filePath;
}
const rotationSeconds = numberFromEnv('TOKEN_ROTATION_SECONDS') ?? Number(config.serviceAccountTokenRotationSeconds ?? 600);
const stopRotation = emulator.rotateServiceAccountTokens(rotationSeconds * 1000);

process.stdout.write(
  `${JSON.stringify({
    msg: 'entra-emulator listening',
    authorityHost: emulator.authorityHost,
    caCertPath: emulator.caCertPath,
    tenantId: emulator.tenantId,
    clientId: emulator.config.identities[0]?.clientId,
    clusterIssuer: emulator.clusterIssuer,
    tokenFiles,
    config: configPath,
  })}\n`,
);

const stop = () => {
  stopRotation();
  emulator.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
