// ESLint (flat config): typescript-eslint for the TypeScript, import-x for cycles and
// module hygiene, eslint-plugin-regexp because much of the runtime is regular expressions.
// Formatting is Prettier's job, so no stylistic rules here.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import regexp from 'eslint-plugin-regexp';
import tseslint from 'typescript-eslint';

// Layers of src/, lowest first: a folder imports only from its own layer or lower ones
// (an import upward, e.g. registry → providers, is what makes cycles). Checked by
// import-x/no-restricted-paths below; a new top-level folder must be placed here.
const LAYERS = [
  ['util'],
  ['process'],
  ['config', 'context', 'git', 'jobs', 'pack', 'policy', 'registry', 'runs', 'secrets', 'usage'],
  ['providers'],
  ['assets', 'doctor', 'workflows'],
  ['hooks', 'lint', 'mcp', 'cli'],
];
const layerZones = LAYERS.slice(0, -1).flatMap((layer, i) =>
  layer.map((folder) => ({
    target: `./src/${folder}`,
    from: LAYERS.slice(i + 1)
      .flat()
      .map((f) => `./src/${f}`),
    message: `src/${folder} sits below these folders (eslint.config.js LAYERS): move the shared piece down instead`,
  })),
);

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.claude/', 'templates/', 'test/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  regexp.configs['flat/recommended'],
  {
    files: ['**/*.{ts,mjs,js}'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
    // Node globals for the .mjs scripts; TypeScript checks names in .ts itself.
    languageOptions: {
      globals: Object.fromEntries(
        ['process', 'console', 'URL', 'Buffer', 'setTimeout', 'clearTimeout', 'performance'].map((g) => [
          g,
          'readonly',
        ]),
      ),
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'import-x/no-duplicates': 'error',
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Much of the input is model output or a whole diff: a regex that backtracks polynomially is a hang.
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/optimal-quantifier-concatenation': 'error',
    },
  },

  {
    // Tests read arbitrary JSON (CLI output, request logs): \`any\` there is the honest type.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
