import { describe, expect, it } from 'vitest';
import { browserSupport, inAppBrowserOf, type SupportEnv } from './support';

class FakePeerConnection {}
class FakeSender {
  replaceTrack() {}
}
const complete = (): SupportEnv => ({
  isSecureContext: true,
  RTCPeerConnection: FakePeerConnection,
  RTCRtpSender: FakeSender,
  WebSocket: class {},
  AudioContext: class {},
  navigator: {
    mediaDevices: { getUserMedia: () => undefined },
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  },
});

const IPHONE_INSTAGRAM =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 290.0.0.13.76';
const ANDROID_FACEBOOK =
  'Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/430.0.0.23.113;]';

describe('browser support', () => {
  it('supports a browser with everything a call needs', () => {
    expect(browserSupport(complete())).toEqual({ supported: true, missing: [] });
  });

  it('names video calling when RTCPeerConnection is missing', () => {
    const env = { ...complete(), RTCPeerConnection: undefined };
    expect(browserSupport(env)).toEqual({ supported: false, missing: ['video-calling'] });
  });

  it('names video calling when senders cannot swap tracks (camera switch, screen share)', () => {
    const env = { ...complete(), RTCRtpSender: { prototype: {} } };
    expect(browserSupport(env).missing).toEqual(['video-calling']);
  });

  it('names camera access, live updates and sound when those are missing', () => {
    const env = {
      ...complete(),
      WebSocket: undefined,
      AudioContext: undefined,
      navigator: { mediaDevices: {} },
    };
    expect(browserSupport(env).missing).toEqual(['camera-access', 'live-updates', 'sound']);
  });

  it('gives one reason for a page without a secure connection, not the camera it hides', () => {
    const env = { ...complete(), isSecureContext: false, navigator: {} };
    expect(browserSupport(env)).toEqual({ supported: false, missing: ['secure-connection'] });
  });

  it('names the app of an in-app browser without a camera, for the advice to leave it', () => {
    const env = { ...complete(), navigator: { userAgent: IPHONE_INSTAGRAM } };
    expect(browserSupport(env)).toEqual({
      supported: false,
      missing: ['camera-access'],
      inAppBrowser: 'Instagram',
    });
  });

  it('lets an in-app browser that has everything make the call', () => {
    const env = complete();
    env.navigator!.userAgent = ANDROID_FACEBOOK;
    expect(browserSupport(env)).toEqual({ supported: true, missing: [], inAppBrowser: 'Facebook' });
  });

  it('recognises the common in-app browsers and leaves ordinary ones alone', () => {
    expect(inAppBrowserOf(IPHONE_INSTAGRAM)).toBe('Instagram');
    expect(inAppBrowserOf(ANDROID_FACEBOOK)).toBe('Facebook');
    expect(inAppBrowserOf(complete().navigator!.userAgent)).toBeUndefined();
    expect(inAppBrowserOf(undefined)).toBeUndefined();
  });
});
