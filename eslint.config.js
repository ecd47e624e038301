// Lint: typescript-eslint's type-aware recommended rules, plus the rules that catch what bites a
// queue worker (floating promises) and the library boundaries of STYLE.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What no library may import. */
const LIBRARY_BOUNDARY = ['**/apps/**'];
/** What the domain (libs/ciba) may not import either: our other libraries, I/O and frameworks. */
const DOMAIN_BOUNDARY = [
  '@ciba/*',
  'ioredis',
  'bullmq',
  'openid-client',
  'oauth4webapi',
  'jose',
  'undici',
  'pino',
  'express',
  '@nestjs/*',
  'node:fs',
  'node:fs/*',
  'node:net',
  'node:http',
  'node:https',
  'node:child_process',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', 'libs/client/src/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // Implementations of async interfaces (storage adapters, hooks) need not await anything.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },
  {
    // Libraries never import from apps.
    files: ['libs/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: LIBRARY_BOUNDARY }] },
  },
  {
    // The domain depends on nothing of ours and does no I/O. After the libs/** block: a later
    // block's options replace an earlier one's for the same rule, so this one repeats the
    // library boundary (test/lint checks that both hold).
    files: ['libs/ciba/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...LIBRARY_BOUNDARY, ...DOMAIN_BOUNDARY] }] },
  },
  {
    // Tests use loose typing on HTTP bodies on purpose; the product code may not.
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
