/**
 * The layer rules of DESIGN.md §3.10 are enforced by eslint.config.js. These probes lint small
 * sources placed (virtually) inside each layer and check that every forbidden import is reported
 * by the boundary rules and the allowed ones are not — so a rule that is loosened or broken fails here.
 */
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BOUNDARY_RULES = new Set(['import-x/no-restricted-paths', 'no-restricted-imports']);

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

/** The boundary messages ESLint reports for one import placed in a (virtual) file of a layer. */
async function boundaryViolations(file: string, specifier: string): Promise<string[]> {
  const code = `import * as probe from '${specifier}';\nexport { probe };\n`;
  const result = (await eslint.lintText(code, { filePath: path.join(root, file) }))[0]!;
  const fatal = result.messages.filter((m) => m.fatal);
  expect(fatal, `${file} could not be parsed`).toEqual([]);
  return result.messages.filter((m) => m.ruleId && BOUNDARY_RULES.has(m.ruleId)).map((m) => m.message);
}

interface Layer {
  file: string;
  forbidden: string[];
  allowed: string[];
}

const layers: Record<string, Layer> = {
  handlers: {
    file: 'functions/handlers/lint-probe.ts',
    forbidden: [
      '../adapters/dynamo/audit',
      '../adapters/dynamo/connections',
      '../adapters/sms/outbox',
      '../adapters/cognito/token-verifier',
      '../adapters/realtime',
      '../adapters/dynamo/table',
      './get-me',
      '../../infra/local/platform',
      '../../web/src/config',
      '@aws-sdk/lib-dynamodb',
      '@aws-sdk/client-apigatewaymanagementapi',
      'aws-jwt-verify',
      'twilio/lib/jwt/AccessToken',
    ],
    allowed: [
      '../adapters/wiring/appointments',
      '../adapters/wiring/ws',
      '../adapters/wiring/lambda',
      '../core/appointments',
      '../core/errors',
      '../lib/http',
      '../lib/ws',
      '../../shared/roles',
      '../routes',
    ],
  },
  core: {
    file: 'functions/core/lint-probe.ts',
    forbidden: [
      '../lib/errors',
      '../lib/http',
      '../lib/identity',
      '../lib/config',
      '../lib/logger',
      '../adapters/dynamo/appointments',
      '../adapters/wiring/appointments',
      '../handlers/list-doctors',
      '../routes',
      '../../infra/local/platform',
      '@aws-sdk/lib-dynamodb',
      '@middy/core',
      'aws-lambda',
      'aws-jwt-verify',
      'twilio',
    ],
    allowed: ['./errors', './ports', './identity', './slots', '../../shared/appointments', 'node:crypto'],
  },
  lib: {
    file: 'functions/lib/lint-probe.ts',
    forbidden: ['../adapters/dynamo/client', '../adapters/wiring/live', '../handlers/get-me'],
    allowed: ['../core/errors', '../core/identity', '../../shared/roles', './config'],
  },
  adapters: {
    file: 'functions/adapters/dynamo/lint-probe.ts',
    forbidden: ['../../handlers/get-me', '../../../infra/local/platform'],
    allowed: ['../../core/ports', '../../core/errors', './client', '../../../shared/appointments'],
  },
  shared: {
    file: 'shared/lint-probe.ts',
    forbidden: ['../functions/core/errors', '../infra/local/platform', '../web/src/config', 'node:crypto'],
    allowed: ['./roles', 'valibot'],
  },
  'infra/aws': {
    file: 'infra/aws/lint-probe.ts',
    forbidden: ['../local/platform'],
    allowed: ['../../functions/routes', '../../shared/roles'],
  },
  web: {
    file: 'web/src/lint-probe.ts',
    forbidden: ['../../functions/core/errors', '../../functions/routes', '../../infra/local/platform'],
    allowed: ['../../shared/roles'],
  },
};

describe.each(Object.entries(layers))('imports from %s', (_name, layer) => {
  it.each(layer.forbidden)('refuses %s', async (specifier) => {
    expect(await boundaryViolations(layer.file, specifier)).not.toEqual([]);
  });
  it.each(layer.allowed)('allows %s', async (specifier) => {
    expect(await boundaryViolations(layer.file, specifier)).toEqual([]);
  });
});
