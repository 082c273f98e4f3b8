module.exports = {
  displayName: 'resilience-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  // The longest test (10,000 stalled calls, or the client outage at RESILIENCE_OUTAGE_SECONDS) runs
  // for tens of seconds by design; each test bounds its own phases well inside this.
  testTimeout: 120_000,
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'mjs'],
};
