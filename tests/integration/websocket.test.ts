import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WsAction } from '../../shared/live';
import { platform, tamper, tokenForRole } from './support';
import { openSocket, refusedStatus, wsUrl } from './ws-client';

const open = openSocket;

describe('the WebSocket API', () => {
  it('refuses a connection without a token or with a bad one (403: the authorizer denies)', async () => {
    expect(await refusedStatus(wsUrl())).toBe(403);
    expect(await refusedStatus(wsUrl('not-a-jwt'))).toBe(403);
    expect(await refusedStatus(wsUrl(tamper(await tokenForRole('patient'))))).toBe(403);
  });

  it('answers ping with pong through the @connections endpoint', async () => {
    const { socket, next } = await open(await tokenForRole('patient'));
    socket.send(JSON.stringify({ action: WsAction.ping, id: 'abc' }));
    expect(await next()).toMatchObject({ type: 'pong', id: 'abc' });
    socket.close();
  });

  it('answers bad frames with error frames and keeps the connection up', async () => {
    const { socket, next } = await open(await tokenForRole('doctor'));
    socket.send('this is not json');
    expect(await next()).toMatchObject({ type: 'error', code: 'unknown_action' });
    socket.send(JSON.stringify({ action: WsAction.ping, extra: true }));
    expect(await next()).toMatchObject({ type: 'error', code: 'validation_failed' });
    socket.send(JSON.stringify({ action: 'no-such-action' }));
    expect(await next()).toMatchObject({ type: 'error', code: 'unknown_action' });
    socket.send(JSON.stringify({ action: WsAction.ping, id: 'still-here' }));
    expect(await next()).toMatchObject({ type: 'pong', id: 'still-here' });
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
  });

  it('answers a post to a gone connection with 410 GoneException, as API Gateway does', async () => {
    const res = await fetch(`${platform().url}/@connections/${encodeURIComponent('gone-connection=')}`, {
      method: 'POST',
      body: '{}',
    });
    expect(res.status).toBe(410);
    expect(res.headers.get('x-amzn-errortype')).toBe('GoneException');
  });
});
