/** Camera and microphone (or just one of them) with sensible defaults for a consultation. */
export function getLocalMedia(
  devices: { audio?: string; video?: string } = {},
  kinds: { audio: boolean; video: boolean } = { audio: true, video: true },
): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({
    audio:
      kinds.audio &&
      (devices.audio
        ? { deviceId: { exact: devices.audio } }
        : { echoCancellation: true, noiseSuppression: true }),
    video:
      kinds.video &&
      (devices.video
        ? { deviceId: { exact: devices.video }, width: { ideal: 1280 }, height: { ideal: 720 } }
        : { width: { ideal: 1280 }, height: { ideal: 720 } }),
  });
}

export function mediaErrorMessage(err: unknown): string {
  const name = (err as { name?: string }).name;
  if (name === 'NotAllowedError')
    return 'Camera or microphone access was blocked. Allow it in your browser settings and try again.';
  if (name === 'NotFoundError') return 'No camera or microphone was found. Connect one and try again.';
  if (name === 'NotReadableError') return 'Your camera or microphone is in use by another app.';
  return 'Your camera or microphone could not be started.';
}
