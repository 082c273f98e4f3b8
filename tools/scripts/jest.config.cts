module.exports = {
  displayName: 'tools-scripts',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/**/*.spec.ts'],
  // Builds helm into .tools on first use (tools/scripts/helm), for the deploy values specs.
  globalSetup: '<rootDir>/test-support/global-setup.ts',
  testTimeout: 30_000,
  coverageDirectory: '../../coverage/tools/scripts',
};
