import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { bindCapabilities, type Capabilities } from './capabilities';
import { ProjectFunction } from './project-function';

describe('capabilities', () => {
  it('bind each capability once', () => {
    const bound: string[] = [];
    const capabilities: Capabilities = {
      sms: { bind: () => bound.push('sms') },
      smsNow: { bind: () => bound.push('smsNow') },
      smsWebhook: { bind: () => bound.push('smsWebhook') },
      reminders: { bind: () => bound.push('reminders') },
      realtime: { bind: () => bound.push('realtime') },
      video: { bind: () => bound.push('video') },
      twilioStatus: { bind: () => bound.push('twilioStatus') },
    };
    // Bundling skipped: only the construct matters here.
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Capabilities');
    const fn = new ProjectFunction(stack, 'Fn', { handler: 'get-me' });
    bindCapabilities(fn, ['sms', 'realtime', 'sms'], capabilities);
    expect(bound).toEqual(['sms', 'realtime']);
  });
});
