import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { managementApi, sendFrame } from './realtime';

const management = mockClient(ApiGatewayManagementApiClient);
const api = managementApi({
  endpoint: 'https://example.execute-api.us-east-1.amazonaws.com/prod',
  region: 'us-east-1',
});

describe('sendFrame', () => {
  beforeEach(() => management.reset());

  it('posts the frame as JSON to the connection', async () => {
    management.on(PostToConnectionCommand).resolves({});
    const onGone = vi.fn();
    expect(await sendFrame('conn-1', { type: 'pong' }, onGone, api)).toBe(true);
    const call = management.commandCalls(PostToConnectionCommand)[0]!;
    expect(call.args[0].input.ConnectionId).toBe('conn-1');
    expect(JSON.parse(String(call.args[0].input.Data))).toEqual({ type: 'pong' });
    expect(onGone).not.toHaveBeenCalled();
  });

  it('forgets a connection that is gone', async () => {
    management.on(PostToConnectionCommand).rejects(new GoneException({ message: 'gone', $metadata: {} }));
    const onGone = vi.fn(async () => undefined);
    expect(await sendFrame('conn-2', { type: 'pong' }, onGone, api)).toBe(false);
    expect(onGone).toHaveBeenCalledWith('conn-2');
  });

  it('lets other failures surface', async () => {
    management.on(PostToConnectionCommand).rejects(new Error('throttled'));
    await expect(sendFrame('conn-3', {}, async () => undefined, api)).rejects.toThrow('throttled');
  });
});
