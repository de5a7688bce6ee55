import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../lib/config';
import type { Area } from './area';
import { lambdaHandler } from './lambda';

/** The settings every function gets from the stack (the unit project's env holds the same). */
const env = {
  AWS_REGION: 'eu-central-1',
  TABLE_NAME: 'lambda-test',
  USER_POOL_ID: 'eu-central-1_lambda',
  USER_POOL_CLIENT_ID: 'lambda-client',
  SMS_PROVIDER: 'outbox',
  REMINDER_SCHEDULER: 'local',
  VIDEO_PROVIDER: 'p2p',
  PRACTICE_NAME: 'Riverside Demo Clinic',
};

function recordingArea() {
  const composed: string[] = [];
  const area: Area<{ table: string }> = {
    name: 'test',
    compose: (config) => {
      composed.push(config.tableName);
      return { table: config.tableName };
    },
  };
  return { area, composed };
}

const create = (deps: { table: string }) => async (event: string) => `${event}:${deps.table}`;

describe('lambdaHandler', () => {
  it('in Lambda composes at module load and fails the cold start naming a missing variable', () => {
    const { area, composed } = recordingArea();
    const { TABLE_NAME: _missing, ...incomplete } = env;
    const load = () => lambdaHandler(area, create, { ...incomplete, AWS_LAMBDA_FUNCTION_NAME: 'get-me' });
    expect(load).toThrow(ConfigurationError);
    expect(load).toThrow(/TABLE_NAME is required/);
    expect(composed).toEqual([]);
  });

  it('in Lambda names a malformed variable too', () => {
    const { area } = recordingArea();
    expect(() =>
      lambdaHandler(area, create, { ...env, SMS_PROVIDER: 'carrier-pigeon', AWS_LAMBDA_FUNCTION_NAME: 'f' }),
    ).toThrow(/SMS_PROVIDER must be one of outbox, twilio/);
  });

  it('in Lambda composes once, before the first call', async () => {
    const { area, composed } = recordingArea();
    const mod = lambdaHandler(area, create, { ...env, AWS_LAMBDA_FUNCTION_NAME: 'f' });
    expect(composed).toEqual(['lambda-test']);
    expect(await mod.handler('a')).toBe('a:lambda-test');
    expect(await mod.handler('b')).toBe('b:lambda-test');
    expect(composed).toEqual(['lambda-test']);
  });

  it('elsewhere reads nothing at import and composes on the first call of `handler`', async () => {
    const { area, composed } = recordingArea();
    const reads: string[] = [];
    const spy = new Proxy({ ...env } as Record<string, string | undefined>, {
      get: (target, key: string) => (reads.push(key), target[key]),
    });
    const mod = lambdaHandler(area, create, spy);
    expect(reads).toEqual(['AWS_LAMBDA_FUNCTION_NAME']);
    expect(composed).toEqual([]);
    expect(await mod.handler('x')).toBe('x:lambda-test');
    expect(await mod.handler('y')).toBe('y:lambda-test');
    expect(composed).toEqual(['lambda-test']);
  });

  it('lets the local platform create the handler on its own deps without any environment', async () => {
    const { area, composed } = recordingArea();
    const mod = lambdaHandler(area, create, {});
    expect(await mod.create({ table: 'platform' })('z')).toBe('z:platform');
    expect(mod.area).toBe(area);
    expect(composed).toEqual([]);
  });
});
