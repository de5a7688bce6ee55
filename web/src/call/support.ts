/**
 * What a browser needs to join a video visit, detected by feature (never by browser name), and said
 * in plain words. The device check, the check-in and the call page all ask here, so a browser that
 * cannot make a call is told so before a call starts rather than failing inside one.
 */
export type MissingFeature =
  'secure-connection' | 'video-calling' | 'camera-access' | 'live-updates' | 'sound';

/** The parts of `window` the detection reads; tests pass their own. */
export interface SupportEnv {
  isSecureContext?: boolean;
  RTCPeerConnection?: unknown;
  RTCRtpSender?: { prototype?: object };
  WebSocket?: unknown;
  AudioContext?: unknown;
  navigator?: { mediaDevices?: { getUserMedia?: unknown }; userAgent?: string };
}

export interface BrowserSupport {
  supported: boolean;
  missing: MissingFeature[];
  /** The app whose built-in browser this is (Instagram, Facebook…), for the advice to leave it. */
  inAppBrowser?: string;
}

/** The missing features, as the unsupported-browser page lists them. */
export const MISSING_FEATURE_TEXT: Record<MissingFeature, string> = {
  'secure-connection': 'A secure connection: the page address must start with https://',
  'video-calling': 'Video calling (WebRTC)',
  'camera-access': 'Access to your camera and microphone',
  'live-updates': 'Live updates while the visit runs (WebSockets)',
  sound: 'Sound playback and the microphone check (Web Audio)',
};

// Apps that open links in their own browser; several of them give pages no camera or microphone.
const IN_APP_BROWSERS: [RegExp, string][] = [
  [/Instagram/i, 'Instagram'],
  [/FBAN|FBAV|FB_IAB|FBIOS/i, 'Facebook'],
  [/Messenger|MessengerForiOS/i, 'Messenger'],
  [/\bLine\//i, 'LINE'],
  [/Snapchat/i, 'Snapchat'],
  [/musical_ly|BytedanceWebview|TikTok/i, 'TikTok'],
  [/LinkedInApp/i, 'LinkedIn'],
  [/Twitter/i, 'X (Twitter)'],
];

export function inAppBrowserOf(userAgent: string | undefined): string | undefined {
  if (!userAgent) return undefined;
  return IN_APP_BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
}

export function browserSupport(env: SupportEnv = globalThis as SupportEnv): BrowserSupport {
  const missing: MissingFeature[] = [];
  const secure = env.isSecureContext !== false;
  if (!secure) missing.push('secure-connection');
  const sender = env.RTCRtpSender?.prototype;
  if (typeof env.RTCPeerConnection !== 'function' || !sender || !('replaceTrack' in sender))
    missing.push('video-calling');
  // Browsers hide the camera from pages without a secure connection; that one reason is enough.
  if (secure && typeof env.navigator?.mediaDevices?.getUserMedia !== 'function')
    missing.push('camera-access');
  if (typeof env.WebSocket !== 'function') missing.push('live-updates');
  if (typeof env.AudioContext !== 'function') missing.push('sound');
  const inAppBrowser = inAppBrowserOf(env.navigator?.userAgent);
  return { supported: missing.length === 0, missing, ...(inAppBrowser ? { inAppBrowser } : {}) };
}
