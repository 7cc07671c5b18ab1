// Type-aware lint (ARCHITECTURE rule 12) and the dependency rules of docs/architecture.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-test/**', 'node_modules/**', 'data/**', 'certs/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.name='forwardRef']", message: 'a cycle means the seam is wrong' }],
    },
  },
  {
    // Protocol code is pure: no feature code, no persistence, no Nest.
    files: ['src/ids/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/resources/**', '**/contracts/**', '**/consumer/**', '**/usage-control/**', '**/broker/**', '**/clearing-house/**', '**/data-apps/**'], message: 'ids/ imports no feature code' },
        { group: ['typeorm', '@nestjs/typeorm'], message: 'ids/ has no persistence' },
      ] }],
    },
  },
  {
    // Pure cores: mappers, parsers, shape checks and evaluators do no I/O.
    files: ['src/**/*.mapper.ts', 'src/**/*.parser.ts', 'src/**/*.shape.ts', 'src/**/*.normalizer.ts', 'src/**/*.evaluator.ts', 'src/**/*.analytics.ts', 'src/usage/policy/*.ts', 'src/usage/patterns/*.pattern.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['node:fs', 'node:fs/promises', 'node:http', 'node:https', 'typeorm'].map((name) => ({ name, message: 'pure code: I/O goes behind an injected adapter' })) }],
    },
  },
  {
    files: ['test/**/*.ts', 'src/**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', name: ['describe', 'it', 'test', 'suite'], package: 'node:test' }] }],
    },
  },
);
