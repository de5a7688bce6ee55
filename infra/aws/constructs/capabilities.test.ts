import { App, Duration, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { bindCapabilities, timeoutFor, type Capabilities } from './capabilities';
import { ProjectFunction } from './project-function';

function fixture() {
  const bound: string[] = [];
  const capabilities: Capabilities = {
    sms: { bind: () => bound.push('sms'), minTimeout: Duration.seconds(15) },
    reminders: { bind: () => bound.push('reminders') },
    realtime: { bind: () => bound.push('realtime') },
    video: { bind: () => bound.push('video'), minTimeout: Duration.seconds(12) },
    twilioStatus: { bind: () => bound.push('twilioStatus') },
  };
  // Bundling skipped: only the construct matters here.
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Capabilities');
  return { bound, capabilities, stack };
}

describe('capabilities', () => {
  it('ask for the longest timeout any of them needs, or none', () => {
    const { capabilities } = fixture();
    expect(timeoutFor([], capabilities)).toBeUndefined();
    expect(timeoutFor(['realtime', 'reminders'], capabilities)).toBeUndefined();
    expect(timeoutFor(['realtime', 'video'], capabilities)?.toSeconds()).toBe(12);
    expect(timeoutFor(['video', 'sms'], capabilities)?.toSeconds()).toBe(15);
  });

  it('bind each capability once', () => {
    const { bound, capabilities, stack } = fixture();
    const fn = new ProjectFunction(stack, 'Fn', { handler: 'get-me', timeout: Duration.seconds(15) });
    bindCapabilities(fn, ['sms', 'realtime', 'sms'], capabilities);
    expect(bound).toEqual(['sms', 'realtime']);
  });

  it('refuse a function whose timeout is shorter than a capability needs', () => {
    const { capabilities, stack } = fixture();
    const fn = new ProjectFunction(stack, 'Fn', { handler: 'get-me' });
    expect(() => bindCapabilities(fn, ['realtime', 'sms'], capabilities)).toThrow(
      /'sms' needs a timeout of at least 15 s/,
    );
  });
});
