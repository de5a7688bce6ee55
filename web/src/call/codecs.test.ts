import { describe, expect, it } from 'vitest';
import { orderVideoCodecs, preferVideoCodecs, type CodecLike } from './codecs';

// What Safari 17 reports from RTCRtpReceiver.getCapabilities('video'): H.264 first.
const SAFARI: CodecLike[] = [
  {
    mimeType: 'video/H264',
    sdpFmtpLine: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=640c1f',
  },
  { mimeType: 'video/rtx', sdpFmtpLine: 'apt=96' },
  {
    mimeType: 'video/H264',
    sdpFmtpLine: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
  },
  {
    mimeType: 'video/H264',
    sdpFmtpLine: 'level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f',
  },
  { mimeType: 'video/VP8' },
  { mimeType: 'video/VP9', sdpFmtpLine: 'profile-id=0' },
  { mimeType: 'video/red' },
  { mimeType: 'video/ulpfec' },
];
// Chromium's order: VP8 first, H.264 further down.
const CHROMIUM: CodecLike[] = [
  { mimeType: 'video/VP8' },
  { mimeType: 'video/rtx' },
  { mimeType: 'video/VP9', sdpFmtpLine: 'profile-id=0' },
  {
    mimeType: 'video/H264',
    sdpFmtpLine: 'level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f',
  },
  {
    mimeType: 'video/H264',
    sdpFmtpLine: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
  },
  { mimeType: 'video/AV1' },
];
const names = (list: CodecLike[]) => list.map((c) => `${c.mimeType.slice(6)} ${c.sdpFmtpLine ?? ''}`.trim());

describe('video codec order', () => {
  it('puts VP8 first and H.264 next on Safari, constrained baseline in mode 1 before the rest', () => {
    expect(names(orderVideoCodecs(SAFARI))).toEqual([
      'VP8',
      'H264 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
      'H264 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=640c1f',
      'H264 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f',
      'rtx apt=96',
      'VP9 profile-id=0',
      'red',
      'ulpfec',
    ]);
  });

  it('gives Chromium the same order, so both sides of a mixed call agree', () => {
    const ordered = orderVideoCodecs(CHROMIUM).map((c) => c.mimeType);
    expect(ordered).toEqual(['video/VP8', 'video/H264', 'video/H264', 'video/rtx', 'video/VP9', 'video/AV1']);
    expect(orderVideoCodecs(CHROMIUM)[1]?.sdpFmtpLine).toContain('packetization-mode=1');
  });

  it('keeps every codec the browser listed (retransmission and error correction included)', () => {
    expect(orderVideoCodecs(SAFARI)).toHaveLength(SAFARI.length);
    expect(new Set(orderVideoCodecs(SAFARI))).toEqual(new Set(SAFARI));
  });
});

describe('applying the order', () => {
  const transceiver = (kind: string, setCodecPreferences?: (c: CodecLike[]) => void) => ({
    receiver: { track: { kind } },
    ...(setCodecPreferences ? { setCodecPreferences } : {}),
  });

  it('sets it on the video transceivers only', () => {
    const set: CodecLike[][] = [];
    const connection = {
      getTransceivers: () => [
        transceiver('audio', (c) => set.push(c)),
        transceiver('video', (c) => set.push(c)),
      ],
    };
    expect(preferVideoCodecs(connection, SAFARI)).toBe(1);
    expect(set).toEqual([orderVideoCodecs(SAFARI)]);
  });

  it('leaves the browser its order where it has no setCodecPreferences, no capabilities or refuses', () => {
    expect(preferVideoCodecs({ getTransceivers: () => [transceiver('video')] }, SAFARI)).toBe(0);
    const refuses = transceiver('video', () => {
      throw new DOMException('bad codec', 'InvalidModificationError');
    });
    expect(preferVideoCodecs({ getTransceivers: () => [refuses] }, SAFARI)).toBe(0);
    const called: CodecLike[][] = [];
    const fine = { getTransceivers: () => [transceiver('video', (c) => called.push(c))] };
    expect(preferVideoCodecs(fine, undefined)).toBe(0);
    expect(preferVideoCodecs(fine, [{ mimeType: 'video/AV1' }])).toBe(0);
    expect(called).toEqual([]);
  });
});
