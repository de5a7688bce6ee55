/**
 * The video codecs the browser-to-browser engine offers, in a deliberate order:
 *
 * 1. VP8 first. Every browser we support encodes and decodes it (Safari since 12.1), including
 *    Firefox builds without Cisco's OpenH264 plug-in (Debian's firefox-esr, offline installs) and
 *    Android phones without an H.264 hardware encoder, and it is what both Chromium sides already
 *    settle on, so the common pair keeps working as tested.
 * 2. H.264 next, constrained baseline with packetization-mode 1 first: the profile every WebRTC
 *    H.264 implementation must accept. A side that has no VP8 (older iOS webviews) still finds a
 *    codec in common with Chromium, and iOS can fall back to its hardware encoder.
 * 3. Everything else as the browser listed it (VP9, AV1, and the retransmission and error-correction
 *    entries, which must stay for the codecs above to recover lost packets).
 *
 * Applied through RTCRtpTransceiver.setCodecPreferences where the browser has it; where it does not,
 * the browser's own offer already carries both VP8 and H.264.
 */
export interface CodecLike {
  mimeType: string;
  sdpFmtpLine?: string;
}

const H264_RANK = (codec: CodecLike) => {
  const fmtp = codec.sdpFmtpLine ?? '';
  const modeOne = /packetization-mode=1/.test(fmtp);
  const constrainedBaseline = /profile-level-id=42e0/i.test(fmtp);
  return modeOne && constrainedBaseline ? 0 : modeOne ? 1 : 2;
};

function rank(codec: CodecLike): number {
  const mime = codec.mimeType.toLowerCase();
  if (mime === 'video/vp8') return 0;
  if (mime === 'video/h264') return 1 + H264_RANK(codec) / 10;
  return 2;
}

export function orderVideoCodecs<T extends CodecLike>(codecs: readonly T[]): T[] {
  // Array.prototype.sort is stable: codecs of equal rank keep the browser's order.
  return [...codecs].sort((a, b) => rank(a) - rank(b));
}

interface TransceiverLike {
  receiver: { track: { kind: string } | null };
  setCodecPreferences?(codecs: CodecLike[]): void;
}

/** The receiver's video capabilities, where the browser reports them. */
function videoCapabilities(): CodecLike[] | undefined {
  const receiver = (globalThis as { RTCRtpReceiver?: typeof RTCRtpReceiver }).RTCRtpReceiver;
  return receiver?.getCapabilities?.('video')?.codecs;
}

/**
 * Sets the order above on every video transceiver of the connection; returns how many took it.
 * A browser that refuses the list keeps its own order (which still holds VP8 and H.264).
 */
export function preferVideoCodecs(
  connection: { getTransceivers(): TransceiverLike[] },
  capabilities: CodecLike[] | undefined = videoCapabilities(),
): number {
  if (!capabilities?.some((c) => rank(c) < 2)) return 0;
  const ordered = orderVideoCodecs(capabilities);
  let applied = 0;
  for (const transceiver of connection.getTransceivers()) {
    if (transceiver.receiver.track?.kind !== 'video' || !transceiver.setCodecPreferences) continue;
    try {
      transceiver.setCodecPreferences(ordered);
      applied++;
    } catch {
      // The browser's default order stays.
    }
  }
  return applied;
}
