import jsoncParser from 'jsonc-eslint-parser';
import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // Checks that generators.json names factories and schemas that exist, and that
    // package.json points at generators.json.
    files: ['./package.json', './generators.json'],
    languageOptions: { parser: jsoncParser },
    rules: { '@nx/nx-plugin-checks': 'error' },
  },
  {
    // Templates are not source: the e2e suite lints and tests them as the code they become,
    // in a workspace copy. e2e/ is the nx-plugin-e2e project, linted by its own config.
    ignores: ['src/generators/*/files/**', 'e2e/**'],
  },
];
