// Not jest.config.cts: that name would give this project a `test` target, and `npm test`
// would then need images. The images are tested by `nx run images-e2e:test:images`, which
// builds them first (the container targets).
module.exports = {
  displayName: 'images-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.image-spec.ts'],
  globalSetup: '<rootDir>/src/support/global-setup.ts',
  testTimeout: 60_000,
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'mjs'],
};
