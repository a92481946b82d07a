import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The folder rules of docs/ARCHITECTURE.md, enforced:
 *   src-main/shared   imports nothing from node, electron or react (the renderer shares it)
 *   src-main/core     never imports electron or react
 *   src-renderer      never imports node, electron or src-main/core (only src-main/shared)
 * and the shipped code (src-main, src-renderer) imports only production dependencies: an
 * installer holds `npm ci --omit=dev`, so a devDependency imported there breaks every install.
 */
const nodeBuiltins = {
  group: ['node:*'],
  message: 'This folder must stay free of Node APIs (see docs/ARCHITECTURE.md).',
};
const electron = { name: 'electron', message: 'Only src-main/electron and src-main/preload may import electron.' };
const react = {
  group: ['react', 'react-dom', 'react/*', 'react-dom/*'],
  message: 'React belongs to src-renderer only.',
};
/** Shipped code: packages in `dependencies` only (type-only imports need nothing at run time). */
const productionOnly = {
  devDependencies: false,
  optionalDependencies: false,
  peerDependencies: false,
  includeTypes: false,
};
const bareNodeBuiltins = [
  'fs',
  'path',
  'os',
  'child_process',
  'net',
  'tls',
  'http',
  'https',
  'crypto',
  'util',
  'stream',
  'url',
  'events',
  'dns',
  'module',
  'worker_threads',
].map((name) => ({
  name,
  message: 'This folder must stay free of Node APIs (see docs/ARCHITECTURE.md).',
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'release/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    plugins: { 'import-x': importX },
    rules: {
      // One order everywhere (fixable with eslint --fix): Node, packages, then our own files.
      'import-x/order': [
        'error',
        {
          groups: ['builtin', 'external', ['internal', 'parent', 'sibling', 'index']],
          'newlines-between': 'never',
          alphabetize: { order: 'asc', caseInsensitive: true },
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
      // Prettier wraps code at 120; comments too. Strings stay whole, so a message can be found with grep.
      'max-len': [
        'error',
        { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
      ],
    },
  },
  {
    files: ['src-main/**/*.ts', 'src-renderer/**/*.{ts,tsx}'],
    rules: { 'import-x/no-extraneous-dependencies': ['error', productionOnly] },
  },
  {
    // Electron is the runtime itself, not a package in the installer (electron-builder wants it in devDependencies).
    files: ['src-main/electron/**/*.ts', 'src-main/preload/**/*.ts'],
    rules: { 'import-x/no-extraneous-dependencies': ['error', { ...productionOnly, whitelist: ['electron'] }] },
  },
  {
    // Tests, benchmarks, scripts and config run from a full checkout: devDependencies are there.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{mjs,ts}', '*.config.{ts,js}'],
    rules: { 'import-x/no-extraneous-dependencies': ['error', { devDependencies: true }] },
  },
  {
    files: ['src-main/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electron, ...bareNodeBuiltins],
          patterns: [
            nodeBuiltins,
            react,
            {
              group: ['**/core/**', '**/electron/**', '**/bridge/**', '**/preload/**'],
              message: 'shared/ depends on nothing else in the app.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electron],
          patterns: [
            react,
            {
              group: ['**/electron/**', '**/bridge/**', '**/preload/**', '**/src-renderer/**'],
              message: 'core/ is used by every transport and must not depend on one.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/bridge/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electron], patterns: [react] }] },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [electron, ...bareNodeBuiltins],
          patterns: [
            nodeBuiltins,
            {
              group: [
                '**/src-main/core/**',
                '**/src-main/electron/**',
                '**/src-main/bridge/**',
                '**/src-main/preload/**',
              ],
              message: 'The renderer may import only src-main/shared.',
            },
            // Schemas stay in the main process: types only, so zod is not shipped to the page.
            {
              group: ['**/shared/schemas/**', '**/shared/contract.ts', '**/shared/errors.ts', '**/shared/dispatch.ts'],
              allowTypeImports: true,
              message:
                'Import only types from the schema modules; values come from shared/channel-names.ts or shared/defaults.ts.',
            },
          ],
        },
      ],
    },
  },
);
