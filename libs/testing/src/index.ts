export * from './lib/processes';
export * from './lib/entra-emulator-process';
export * from './lib/client';
export * from './lib/log-lines';
export * from './lib/image-runtime';
export * from './lib/commands';
export * from './lib/raw-http';
