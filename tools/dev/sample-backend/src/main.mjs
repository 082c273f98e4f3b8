import { startSampleBackend } from './sample-backend.mjs';

const backend = await startSampleBackend({ port: Number(process.env.PORT ?? 8081), host: process.env.HOST ?? '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ msg: `sample-backend listening on ${backend.url}` })}\n`);
const stop = () => backend.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
