/**
 * The health handler module as the gateway runs it (`create` on given deps), with a table that
 * answers and one that does not: handlers may not import each other, so its test lives here.
 */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { create } from '../../../functions/handlers/health';

/** An anonymous GET /health as API Gateway delivers it (no authorizer on a public route). */
const event = {
  httpMethod: 'GET',
  path: '/health',
  headers: {},
  body: null,
  requestContext: { requestId: 'req-1', authorizer: null },
} as unknown as APIGatewayProxyEvent;
const context = { awsRequestId: 'aws-req-1' } as Context;
const deps = (probeTable: () => Promise<void>) => ({
  probeTable,
  allowedOrigins: [],
  sessions: { isCurrent: async () => true },
});

describe('the health handler', () => {
  it('answers 200 ok when the table answers', async () => {
    const res = await create(deps(async () => {}))(event, context);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'ok', checks: { table: 'ok' } });
  });

  it('answers 503 naming the failing check, with no error text or stack', async () => {
    const failure = new Error('ResourceNotFoundException: Requested resource not found');
    const res = await create(deps(() => Promise.reject(failure)))(event, context);
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body)).toEqual({ status: 'unavailable', checks: { table: 'failing' } });
    expect(res.body).not.toContain('ResourceNotFound');
  });
});
