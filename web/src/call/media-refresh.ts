/**
 * Keeping our own camera and microphone alive. iOS ends camera tracks while the page is in the
 * background; unplugging a headset or a webcam ends that device's track on every browser. Both
 * engines refresh on the same moments (watchMediaRefresh) and fall back the same way
 * (withDefaultDevice); the browser-to-browser engine also restarts the tracks itself
 * (restartEndedTracks, replaceSenderTracks), while Twilio's SDK restarts the ones it created.
 */
export type RefreshReason = 'foreground' | 'devicechange';

interface RefreshTargets {
  window: EventTarget;
  document: EventTarget & { visibilityState: string };
  mediaDevices?: Partial<EventTarget>;
}

const browserTargets = (): RefreshTargets => ({
  window,
  document,
  mediaDevices: navigator.mediaDevices,
});

/**
 * Calls `refresh` when the page is shown again (back from the background, or from the back-forward
 * cache) and when a camera or microphone is plugged in or out. Returns the function that stops it.
 */
export function watchMediaRefresh(
  refresh: (reason: RefreshReason) => void,
  targets: RefreshTargets = browserTargets(),
): () => void {
  const onVisibility = () => {
    if (targets.document.visibilityState === 'visible') refresh('foreground');
  };
  const onPageShow = () => refresh('foreground');
  const onDeviceChange = () => refresh('devicechange');
  targets.document.addEventListener('visibilitychange', onVisibility);
  targets.window.addEventListener('pageshow', onPageShow);
  targets.mediaDevices?.addEventListener?.('devicechange', onDeviceChange);
  return () => {
    targets.document.removeEventListener('visibilitychange', onVisibility);
    targets.window.removeEventListener('pageshow', onPageShow);
    targets.mediaDevices?.removeEventListener?.('devicechange', onDeviceChange);
  };
}

/** The chosen device is gone (unplugged, or a different id after the OS restarted it). */
export function deviceGone(err: unknown): boolean {
  const name = (err as { name?: string } | undefined)?.name;
  return name === 'OverconstrainedError' || name === 'NotFoundError';
}

/** The chosen device if it is still there, else the browser's default one. */
export async function withDefaultDevice<T>(chosen: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
  try {
    return await chosen();
  } catch (err) {
    if (!deviceGone(err)) throw err;
    return fallback();
  }
}

export interface TrackLike {
  kind: string;
  readyState: string;
  enabled: boolean;
  getSettings(): { deviceId?: string };
  stop(): void;
}

/** Which kinds to open, each on a device if one is named. */
export type MediaRequest = Partial<Record<'audio' | 'video', { deviceId?: string }>>;

/**
 * Fresh tracks in place of the ended ones, on the same device where it is still there, else on the
 * default one; muted or dark as the track they replace. Live tracks stay as they are. Returns the
 * new set of tracks, or undefined when none had ended.
 */
export async function restartEndedTracks<T extends TrackLike>(
  tracks: readonly T[],
  open: (request: MediaRequest) => Promise<T[]>,
): Promise<T[] | undefined> {
  const ended = tracks.filter((t) => t.readyState === 'ended' && (t.kind === 'audio' || t.kind === 'video'));
  if (!ended.length) return undefined;
  const chosen: MediaRequest = {};
  const anyDevice: MediaRequest = {};
  for (const track of ended) {
    const kind = track.kind as 'audio' | 'video';
    const deviceId = track.getSettings().deviceId;
    chosen[kind] = deviceId ? { deviceId } : {};
    anyDevice[kind] = {};
  }
  const fresh = await withDefaultDevice(
    () => open(chosen),
    () => open(anyDevice),
  );
  for (const track of fresh) track.enabled = ended.find((t) => t.kind === track.kind)?.enabled ?? true;
  return [...tracks.filter((t) => !ended.includes(t)), ...fresh];
}

interface SenderLike<T> {
  track: T | null;
  replaceTrack(track: T | null): Promise<void>;
}

/**
 * Puts the new tracks on the senders carrying the old ones of the same kind, without renegotiating.
 * `keepVideo`: a screen share is on the video sender and stays there.
 */
export async function replaceSenderTracks<T extends { kind: string }>(
  senders: readonly SenderLike<T>[],
  next: readonly T[],
  options: { keepVideo?: boolean } = {},
): Promise<void> {
  for (const sender of senders) {
    const kind = sender.track?.kind;
    if (!kind || (kind === 'video' && options.keepVideo)) continue;
    const track = next.find((t) => t.kind === kind);
    if (track && track !== sender.track) await sender.replaceTrack(track);
  }
}
