export * from './lib/azure-auth.module';
