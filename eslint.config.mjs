// ESLint: type-aware rules that catch real bugs (promises left floating, unsafe `any`, incomplete switches), the
// import boundaries of workflow code, and Prettier's formatting rules switched off (Prettier formats; ESLint lints).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettierConfig from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const sdkInternals = {
  regex: '^@temporalio/[^/]+/lib(/|$)',
  message: "SDK internals move between Temporal releases without notice: import from the package's root (for example '@temporalio/common').",
};

const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_')).join('|');

// What workflow code, and every module the workflow bundle pulls in, may not import. Type imports are allowed:
// they are erased at compile time and never reach the bundle.
const workflowSandboxRestrictions = [
  sdkInternals,
  {
    regex: `^(node:.*|(${nodeBuiltins})(/.*)?)$`,
    allowTypeImports: true,
    message: "Workflow code runs in Temporal's deterministic sandbox, which has no Node built-ins: do I/O in an activity.",
  },
  {
    regex: '^@(aws-sdk|smithy)/',
    allowTypeImports: true,
    message: 'AWS calls are side effects that replay would repeat: make them in an activity (src/activities) and call it through proxyActivities.',
  },
  {
    regex: '^@temporalio/(worker|client|activity|testing|envconfig)$',
    allowTypeImports: true,
    message: 'Workflow code may import only @temporalio/workflow and @temporalio/common: the other SDK packages need Node and are not deterministic.',
  },
  {
    regex: '^pino(-.*)?$',
    allowTypeImports: true,
    message: "Log with `log` from @temporalio/workflow: it is replay-aware and reaches the worker's logger through the sinks.",
  },
  {
    regex: '^(\\.{1,2}/)+(.*/)?activities(/.*)?$',
    allowTypeImports: true,
    message:
      "Import activities as types only (`import type * as activities from '../activities'`) and call them through proxyActivities: their code runs in the worker.",
  },
];

// Workflow code: the workflows, what they share with the rest, and each step kind's definition and run.
const workflowCodeFiles = [
  'src/workflows/**/*.ts',
  'src/shared/**/*.ts',
  'src/steps/*.ts',
  'src/steps/*/definition.ts',
  'src/steps/*/run.ts',
  'src/config/sizes.ts',
  'src/codec/failureConverter.ts',
];
// The modules the workflow bundle pulls in (lib/workflow-bundle/workflows.js after a build): workflow code, and
// the config schema only for runs that checked their input in the sandbox (see src/workflows/runInput.ts).
const workflowSafeFiles = [
  ...workflowCodeFiles,
  'src/config/runInput.ts',
  'src/config/schema.ts',
  'src/config/schemaIssues.ts',
  'src/config/fields.ts',
  'src/steps/*/settings.ts',
];

// What workflow code proper may not import besides: the Node side of the project and the config's zod schemas,
// which only the config schema (itself bundled for runs that checked their input in the sandbox) imports.
const nodeSideAndSchemas = {
  // The Node side of the project (every layer but workflows and shared, the payload codec) and the config
  // schema: zod, which the sandbox would load again for every run a worker holds (runs check their input in an activity).
  regex: '^(\\.{1,2}/)+(.*/)?((aws|client|local|target|worker|redshift)(/.*)?|projectRoot|config|config/(?!sizes$).*|codec/(?!failureConverter$).*)$',
  allowTypeImports: true,
  message:
    'Workflow code may import only src/workflows, src/shared, src/steps (but settings) and src/config/sizes: this module runs in Node (the command line, the worker or the local stack), or loads zod, which the sandbox would load again for every run a worker holds.',
};
const stepSettings = {
  regex: '^(\\.{1,2}/)+(.*/)?settings$',
  allowTypeImports: true,
  message: "A step kind's settings load zod, which the sandbox would load again for every run a worker holds: import their types only.",
};
// Shared helpers that only the command line and the worker use.
const nodeOnlySharedFiles = ['src/shared/projectRoot.ts'];

export default defineConfig(
  { ignores: ['lib/', '.local/', 'test-artifacts/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/return-await': ['error', 'error-handling-correctness-only'],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // `typeof import('...')` stays allowed: it types a module loaded with require() (a built copy, a fresh copy).
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      // Leaving a key out of a copy with `{ key: _key, ...rest }` is the idiom, not an oversight.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Activity and client stubs implement async interfaces without awaiting anything.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [sdkInternals] }],
    },
  },
  {
    files: workflowSafeFiles,
    ignores: nodeOnlySharedFiles,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: workflowSandboxRestrictions }] },
  },
  {
    files: workflowCodeFiles,
    ignores: [...nodeOnlySharedFiles, 'src/steps/settings.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [...workflowSandboxRestrictions, nodeSideAndSchemas, stepSettings] }] },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests read JSON (histories, CLI --json output, logs) and let expect() check its shape.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // expect(client.send).toHaveBeenCalled… passes a mocked method without calling it.
      '@typescript-eslint/unbound-method': 'off',
      // jest.isolateModules and the built lib/ are loaded with require().
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node, sourceType: 'commonjs' },
  },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },
  prettierConfig,
);
