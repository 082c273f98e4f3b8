export * from './lib/processes';
export * from './lib/entra-emulator-process';
