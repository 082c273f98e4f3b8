// The guide's Steps 3-11 against the local cluster (npm run cluster -- up, then images). Not part of
// `npm test`: .ci/run runs it after bringing the cluster up (npx nx run cluster:e2e).
module.exports = {
  displayName: 'cluster-e2e',
  preset: '../../../jest.preset.js',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.e2e-spec.ts'],
  testTimeout: 600_000,
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/../tsconfig.spec.json', useESM: true }],
  },
  moduleFileExtensions: ['ts', 'js', 'mjs'],
};
