/** The authorizer the local gateway runs (websocket.ts) as API Gateway does: its verdicts, not its throws. */
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { create } from '../../../functions/handlers/ws-authorizer';

const methodArn = 'arn:aws:execute-api:us-east-1:1:api/prod/$connect';
const now = Math.floor(Date.now() / 1000);
const claims = { sub: 'user-1', email: 'p@example.com', 'cognito:groups': ['patient'], auth_time: now };

function authorizer(sessionCurrent: () => Promise<boolean> = async () => true) {
  return create({
    verifier: {
      verify: async (token: string) => {
        if (token !== 'good') throw new Error('invalid signature');
        return claims;
      },
    },
    sessions: { isCurrent: sessionCurrent },
    visitSessions: {
      verify: async (token: string) =>
        token === 'live-pass'
          ? { appointmentId: 'appt-1', holder: 'guest' as const, holderId: 'guest_1', expiresAt: now + 600 }
          : undefined,
    },
  });
}

const connect = (query: Record<string, string>) =>
  ({
    type: 'REQUEST',
    methodArn,
    queryStringParameters: query,
  }) as unknown as APIGatewayRequestAuthorizerEvent;

const effect = (result: { policyDocument: { Statement: { Effect: string }[] } }) =>
  result.policyDocument.Statement.map((s) => s.Effect);

describe('the WebSocket authorizer', () => {
  it('denies a missing, invalid or ended token with a Deny policy instead of throwing', async () => {
    expect(effect(await authorizer()(connect({})))).toEqual(['Deny']);
    expect(effect(await authorizer()(connect({ token: 'expired-or-forged' })))).toEqual(['Deny']);
    expect(effect(await authorizer(async () => false)(connect({ token: 'good' })))).toEqual(['Deny']);
  });

  it('allows a current session and hands the connection its correlation id (a fresh one if malformed)', async () => {
    const allowed = await authorizer()(connect({ token: 'good', correlationId: 'page-42' }));
    expect(effect(allowed)).toEqual(['Allow']);
    expect(allowed.context).toEqual({ userId: 'user-1', role: 'patient', correlationId: 'page-42' });
    const fresh = await authorizer()(connect({ token: 'good', correlationId: 'bad id!' }));
    expect(fresh.context?.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts a live visit session (`?pass=`) for its one visit, and denies an ended one', async () => {
    const allowed = await authorizer()(connect({ pass: 'live-pass', correlationId: 'page-7' }));
    expect(effect(allowed)).toEqual(['Allow']);
    expect(allowed.context).toEqual({
      userId: 'guest_1',
      role: 'guest',
      appointmentId: 'appt-1',
      via: 'pass',
      correlationId: 'page-7',
    });
    expect(effect(await authorizer()(connect({ pass: 'revoked-or-unknown' })))).toEqual(['Deny']);
  });

  it('still fails loudly when the session store cannot answer (a real failure for the Errors alarm)', async () => {
    const broken = authorizer(async () => {
      throw new Error('DynamoDB unreachable');
    });
    await expect(broken(connect({ token: 'good' }))).rejects.toThrow('DynamoDB unreachable');
  });
});
