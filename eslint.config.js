import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Dependencies point one way (DESIGN.md §3.10); these zones make the linter refuse the others. */
const boundaries = [
  {
    target: './functions/core',
    from: './functions',
    except: ['./core'],
    message:
      'core depends on shared only (no lib, adapters, handlers or routes.ts): throw core/errors, take ports',
  },
  {
    target: './functions/handlers',
    from: './functions',
    // routes.ts (ws-routes.ts for the WebSocket) is the server side of the contract each handler serves.
    except: ['./core', './lib', './adapters/wiring', './routes.ts', './ws-routes.ts'],
    message:
      'handlers import only core, lib, adapters/wiring, routes.ts, ws-routes.ts and shared (adapters via adapters/wiring)',
  },
  {
    target: './functions/lib',
    from: './functions/adapters',
    message: 'lib must not depend on adapters',
  },
  {
    target: './functions/lib',
    from: './functions/handlers',
    message: 'lib must not depend on handlers',
  },
  { target: './functions', from: './infra', message: 'functions must not know where they run' },
  { target: './functions', from: './web', message: 'functions must not import the web app' },
  { target: './shared', from: './functions', message: 'shared is imported by functions, not the other way' },
  { target: './shared', from: './infra', message: 'shared must stay free of infrastructure' },
  { target: './shared', from: './web', message: 'shared must not import the web app' },
  { target: './web', from: './functions', message: 'the web app talks to functions over HTTP only' },
  { target: './web', from: './infra', message: 'the web app must not import infrastructure' },
  {
    target: './infra/aws',
    from: './infra/local',
    message: 'the AWS app must not depend on the local platform',
  },
  {
    target: './functions/adapters',
    from: './functions/handlers',
    message: 'adapters must not import handlers',
  },
];

export default tseslint.config(
  { ignores: ['node_modules', 'web/dist', 'cdk.out', 'test-results', 'playwright-report', '.data', '.tmp'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js}'],
    plugins: { 'import-x': importX },
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.tsx', '.js'] } } },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: boundaries }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-console': 'off',
    },
  },
  {
    files: ['functions/core/**/*.ts', 'shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@aws-sdk/*',
                'aws-jwt-verify',
                'aws-jwt-verify/*',
                '@middy/*',
                'aws-lambda',
                'twilio',
                'twilio/*',
              ],
              message: 'core and shared have no AWS imports',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', '@aws-sdk/*'],
              message: 'shared runs in the browser too: no Node-only imports',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['functions/handlers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@aws-sdk/*', 'aws-jwt-verify', 'aws-jwt-verify/*', 'twilio', 'twilio/*'],
              message: 'handlers use no SDK directly: adapters do, composed in functions/adapters/wiring',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'tests/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[computed=false][property.name='only']",
          message: 'No .only in committed tests',
        },
        { selector: "MemberExpression[computed=false][property.name='skip']", message: 'No skipped tests' },
      ],
    },
  },
);
