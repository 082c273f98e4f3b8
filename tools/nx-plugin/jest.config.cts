module.exports = {
  displayName: 'nx-plugin',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  // e2e/ is its own project (nx-plugin-e2e); files/ holds templates, not tests.
  roots: ['<rootDir>/src'],
  testPathIgnorePatterns: ['/files/'],
  coverageDirectory: '../../coverage/tools/nx-plugin',
};
