module.exports = {
  displayName: 'charts',
  preset: '../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  testMatch: ['<rootDir>/tests/**/*.spec.ts'],
  // Builds helm and kubectl-validate into .tools on first use (see tools/scripts/helm).
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  testTimeout: 30_000,
  coverageDirectory: '../coverage/charts',
};
