// Lint with typescript-eslint's type-checked rules, run by `npm test` (npm run lint). It lives
// in test/ because the repository's top level is fixed; paths below are from the repository's
// root. Rules the code base disagrees with are switched off here, each with why, never line by
// line in the code.
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test/browser/artifacts/**', 'test/eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: fileURLToPath(new URL('..', import.meta.url)) },
    },
    rules: {
      // Control characters in regular expressions are the point where XML's character rules are checked.
      'no-control-regex': 'off',
      // `void promise` marks a promise deliberately not awaited (its errors handled elsewhere).
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      // Unused names prefixed with _ are kept on purpose (destructuring a field away).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // Values from csv-parse, YAML and JSON are checked by zod or by hand, then narrowed with casts.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Template literals print numbers and error codes throughout messages.
      '@typescript-eslint/restrict-template-expressions': 'off',
      // It calls an index assertion unnecessary where noUncheckedIndexedAccess makes it needed
      // (its fix broke the build), and csv-parse's generic parse reads better with `as`.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Planners are async for one shape (Promise<Plan>) whether or not they await yet.
      '@typescript-eslint/require-await': 'off',
      // XML's name tables include surrogate ranges on purpose.
      'no-misleading-character-class': 'off',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests pass async functions where vitest takes them, and await what they assert on.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-misused-promises': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
