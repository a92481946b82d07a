import { builtinModules } from 'node:module';
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
/** Every Node built-in by its bare name ("fs", "fs/promises", …), from Node itself rather than a hand-kept list. */
const bareNodeBuiltins = builtinModules
  .filter((name) => !name.startsWith('_') && !name.startsWith('node:'))
  .map((name) => ({ name, message: 'This folder must stay free of Node APIs (see docs/ARCHITECTURE.md).' }));
/** Packages that only work in Node (native modules, sockets, files); the page and shared/ never load them. */
const nodeOnlyMessage = 'This package needs Node (files, sockets or a native module); it belongs to src-main/core.';
const nodeOnlyPackages = ['better-sqlite3', 'keytar', 'nodemailer', 'mailparser', 'smtp-server', 'libmime'].map(
  (name) => ({ name, message: nodeOnlyMessage }),
);
/** Their subpaths; nodemailer's own address parser is pure code with no I/O (shared/address-list.ts uses it). */
const nodeOnlySubpaths = { group: ['nodemailer/lib/*', 'libmime/*', 'mailparser/*'], message: nodeOnlyMessage };
const nodeOnlySubpathsButAddressParser = {
  ...nodeOnlySubpaths,
  group: [...nodeOnlySubpaths.group, '!nodemailer/lib/addressparser'],
};
/**
 * Globals that exist only in a browser: core runs in Node under every shell and must not touch
 * them. (Node 22 also has an experimental localStorage; the core keeps its data in the store.)
 */
const browserOnlyGlobals = [
  ...Object.keys(globals.browser).filter((name) => !(name in globals.node) && !(name in globals.es2021)),
  'localStorage',
  'sessionStorage',
].map((name) => ({ name, message: 'The core runs in Node; the page and the DOM belong to src-renderer.' }));
/** Node's globals, which the page does not have. */
const nodeOnlyGlobals = [
  'process',
  'Buffer',
  'global',
  '__dirname',
  '__filename',
  'require',
  'module',
  'setImmediate',
].map((name) => ({ name, message: 'The page runs in a browser: this Node global does not exist there.' }));
/** nodemailer's private members: only smtp/nodemailer-internals.ts may touch them (it says why, and is tested). */
const nodemailerPrivates = [
  '_socket',
  '_sendCommand',
  '_responseActions',
  '_supportedExtensions',
  '_onData',
  '_currentDataStream',
].map((property) => ({
  property,
  message: 'Use src-main/core/smtp/nodemailer-internals.ts, where every nodemailer private member lives.',
}));
/** The same globals reached through globalThis or window (`globalThis.process`), which the name rules miss. */
const viaGlobalObject = (names, message) =>
  ['globalThis', 'window', 'self', 'global'].flatMap((object) =>
    names.map((property) => ({ object, property, message })),
  );
const nodeOnlyViaGlobal = viaGlobalObject(
  nodeOnlyGlobals.map((g) => g.name),
  'The page runs in a browser: this Node global does not exist there.',
);
const domViaGlobal = viaGlobalObject(
  ['document', 'window', 'navigator', 'localStorage', 'sessionStorage', 'location'],
  'The core runs in Node; the page and the DOM belong to src-renderer.',
);
/** `import('fs')` at run time: the static import rules do not see it. */
const dynamicNodeImport = {
  selector: `ImportExpression > Literal[value=/^(node:)?(${builtinModules
    .filter((name) => !name.startsWith('_') && !name.startsWith('node:'))
    .map((name) => name.replace(/[/]/g, '\\/'))
    .join('|')})$/]`,
  message: 'This folder must stay free of Node APIs (see docs/ARCHITECTURE.md).',
};
/**
 * `useEffect(() => el.scrollIntoView())` hands React whatever the call returns (a Promise in
 * Chromium 156) as its cleanup, which React then calls: it throws and the whole app unmounts.
 * An effect is written inline with braces, so what it returns is written out on purpose
 * (`return unsubscribe` and `return () => …` are how a cleanup is handed back).
 */
const EFFECT = '/^use(Layout|Insertion)?Effect$/';
const effectRules = [
  ...[`CallExpression[callee.name=${EFFECT}]`, `CallExpression[callee.property.name=${EFFECT}]`].map((call) => ({
    selector: `${call} > ArrowFunctionExpression[body.type!='BlockStatement']`,
    message:
      'Write the effect with braces: React calls whatever an effect returns as its cleanup. Return only a cleanup function.',
  })),
  ...[`CallExpression[callee.name=${EFFECT}]`, `CallExpression[callee.property.name=${EFFECT}]`].map((call) => ({
    selector: `${call}[arguments.0.type='Identifier']`,
    message: 'Write the effect inline, with braces, so what it returns (its cleanup) can be seen where it is used.',
  })),
];

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
    // Small files with one job, and functions a reader holds in their head (React components,
    // mostly markup, are the exception).
    files: ['src-main/**/*.ts', 'src-renderer/**/*.ts', 'scripts/**/*.mjs', 'bench/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }] },
  },
  {
    files: ['src-main/**/*.ts', 'src-renderer/**/*.{ts,tsx}'],
    rules: { 'max-lines': ['error', { max: 300, skipBlankLines: false, skipComments: false }] },
  },
  {
    files: ['src-main/**/*.ts'],
    rules: { 'no-restricted-properties': ['error', ...nodemailerPrivates] },
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
          paths: [electron, ...bareNodeBuiltins, ...nodeOnlyPackages],
          patterns: [
            nodeBuiltins,
            react,
            nodeOnlySubpathsButAddressParser,
            {
              group: ['**/core/**', '**/electron/**', '**/bridge/**', '**/preload/**'],
              message: 'shared/ depends on nothing else in the app.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...browserOnlyGlobals, ...nodeOnlyGlobals],
      'no-restricted-properties': ['error', ...nodemailerPrivates, ...nodeOnlyViaGlobal, ...domViaGlobal],
      'no-restricted-syntax': ['error', dynamicNodeImport],
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
      'no-restricted-globals': ['error', ...browserOnlyGlobals],
      'no-restricted-properties': ['error', ...nodemailerPrivates, ...domViaGlobal],
    },
  },
  {
    files: ['src-main/core/smtp/nodemailer-internals.ts'],
    rules: { 'no-restricted-properties': 'off' },
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
      'no-restricted-syntax': ['error', ...effectRules, dynamicNodeImport],
      'no-restricted-globals': ['error', ...nodeOnlyGlobals],
      'no-restricted-properties': ['error', ...nodeOnlyViaGlobal],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [electron, ...bareNodeBuiltins, ...nodeOnlyPackages],
          patterns: [
            nodeBuiltins,
            nodeOnlySubpaths,
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
