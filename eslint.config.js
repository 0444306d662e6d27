// ESLint flat config: typescript-eslint type-checked rules plus DESIGN.md's import rules,
// enforced per room with no-restricted-imports.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Builds a no-restricted-imports rule that forbids the given rooms (relative path patterns). */
const forbidRooms = (message, ...rooms) => ({
  'no-restricted-imports': [
    'error',
    { patterns: [{ group: rooms.flatMap((room) => [`**/${room}`, `**/${room}/**`]), message }] },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', '.cache/', 'dashboards/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'bin/*.js', 'scripts/*.mjs', 'src/exporters/status/public/*.js'] } },
      globals: { ...globals.node },
    },
    rules: {
      // node:test's test()/describe() return promises the runner tracks itself.
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }],
      }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'eqeqeq': ['error', 'always'],
      'no-var': 'error',
      'prefer-const': 'error',
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: forbidRooms('src/domain imports nothing of ours (DESIGN.md)', 'drivers', 'collectors', 'exporters', 'api', 'cli', 'alerts', 'actions', 'catalog', 'snapshot', 'agent', 'config'),
  },
  {
    files: ['src/drivers/**/*.ts'],
    rules: forbidRooms('src/drivers imports src/domain only (DESIGN.md)', 'collectors', 'exporters', 'api', 'cli', 'alerts', 'actions', 'catalog', 'snapshot', 'agent', 'config'),
  },
  {
    files: ['src/catalog/**/*.ts'],
    rules: forbidRooms('src/catalog imports src/domain only', 'drivers', 'collectors', 'exporters', 'api', 'cli', 'alerts', 'actions', 'snapshot', 'agent', 'config'),
  },
  {
    files: ['src/snapshot/**/*.ts'],
    rules: forbidRooms('src/snapshot imports src/domain only', 'drivers', 'collectors', 'exporters', 'api', 'cli', 'alerts', 'actions', 'catalog', 'agent', 'config'),
  },
  {
    files: ['src/collectors/**/*.ts'],
    rules: forbidRooms('src/collectors imports src/domain and the StatsTarget interface only (DESIGN.md)', 'drivers', 'exporters', 'api', 'cli', 'alerts', 'actions', 'agent'),
  },
  {
    files: ['src/exporters/**/*.ts'],
    rules: forbidRooms('exporters read the snapshot and the catalog; they never call a driver or sample (DESIGN.md)', 'drivers', 'collectors', 'cli', 'agent'),
  },
  {
    files: ['src/security/**/*.ts'],
    rules: forbidRooms('src/security imports src/domain and src/config only', 'drivers', 'collectors', 'exporters', 'api', 'http', 'cli', 'alerts', 'actions', 'catalog', 'snapshot', 'agent'),
  },
  {
    files: ['src/actions/**/*.ts'],
    rules: forbidRooms('src/actions works on DomainOps passed in; it never imports a driver, a collector, an exporter or the rules', 'drivers', 'collectors', 'exporters', 'api', 'cli', 'alerts', 'agent'),
  },
  {
    files: ['src/alerts/**/*.ts'],
    rules: forbidRooms('src/alerts reads the snapshot and the catalog and acts through Actions; never a driver or a collector', 'drivers', 'collectors', 'exporters', 'api', 'cli', 'agent'),
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The status page's browser script (served as is, no build step).
    files: ['src/exporters/status/public/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser } },
  },
);
