/**
 * The call-quality summary each side sends when its call ends: samples of `getStats()` every few
 * seconds (round trip, inbound loss, inbound video size and bitrate), reconnects, and the browser
 * family. Numbers and enums only — no address, candidate or user-agent string ever leaves here.
 */
import type { BrowserFamily, CallQualitySummary } from '../../../shared/visit-feedback';

/** Cumulative counters at one moment, from either provider's stats. */
export interface MediaCounters {
  /** ms, the clock the counters were read on. */
  at: number;
  rttMs?: number;
  packetsLost: number;
  packetsReceived: number;
  videoBytesReceived: number;
  videoWidth?: number;
  videoHeight?: number;
}

interface RtcStatsLike {
  forEach(callback: (stat: Record<string, unknown>) => void): void;
}

const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** From an `RTCPeerConnection.getStats()` report: the selected pair's RTT, all inbound RTP streams. */
export function countersFromRtcStats(report: RtcStatsLike, at: number): MediaCounters {
  const counters: MediaCounters = { at, packetsLost: 0, packetsReceived: 0, videoBytesReceived: 0 };
  report.forEach((stat) => {
    if (
      stat.type === 'candidate-pair' &&
      stat.state === 'succeeded' &&
      num(stat.currentRoundTripTime) !== undefined
    ) {
      counters.rttMs = num(stat.currentRoundTripTime)! * 1000;
    }
    if (stat.type !== 'inbound-rtp') return;
    counters.packetsLost += Math.max(0, num(stat.packetsLost) ?? 0);
    counters.packetsReceived += num(stat.packetsReceived) ?? 0;
    if (stat.kind === 'video') {
      counters.videoBytesReceived += num(stat.bytesReceived) ?? 0;
      counters.videoWidth = num(stat.frameWidth) ?? counters.videoWidth;
      counters.videoHeight = num(stat.frameHeight) ?? counters.videoHeight;
    }
  });
  return counters;
}

/**
 * One set of counters for a call with several connections (the p2p mesh, each connection ever made
 * in it): packets and bytes add up, the round trip is the slowest, the video size the largest. Each
 * entry is the last good reading of one connection, kept after it closed, so the sum never falls
 * back when a connection is replaced or a participant leaves. It is as of the latest of those
 * readings: read again after everything closed, it is the last good reading, not an empty one.
 */
export function combineCounters(list: readonly MediaCounters[]): MediaCounters | undefined {
  if (list.length === 0) return undefined;
  const out: MediaCounters = { at: 0, packetsLost: 0, packetsReceived: 0, videoBytesReceived: 0 };
  for (const c of list) {
    out.at = Math.max(out.at, c.at);
    out.packetsLost += c.packetsLost;
    out.packetsReceived += c.packetsReceived;
    out.videoBytesReceived += c.videoBytesReceived;
    if (c.rttMs !== undefined) out.rttMs = Math.max(out.rttMs ?? 0, c.rttMs);
    if (c.videoWidth !== undefined && c.videoHeight !== undefined && c.videoWidth >= (out.videoWidth ?? 0)) {
      out.videoWidth = c.videoWidth;
      out.videoHeight = c.videoHeight;
    }
  }
  return out;
}

interface TwilioTrackStats {
  packetsLost?: number | null;
  packetsReceived?: number | null;
  bytesReceived?: number | null;
  roundTripTime?: number | null;
  dimensions?: { width?: number | null; height?: number | null } | null;
}
export interface TwilioStatsLike {
  remoteAudioTrackStats?: TwilioTrackStats[];
  remoteVideoTrackStats?: TwilioTrackStats[];
  localAudioTrackStats?: TwilioTrackStats[];
}

/** From twilio-video's `room.getStats()`: inbound track stats; RTT as the local audio sender reports it (s). */
export function countersFromTwilioStats(reports: readonly TwilioStatsLike[], at: number): MediaCounters {
  const counters: MediaCounters = { at, packetsLost: 0, packetsReceived: 0, videoBytesReceived: 0 };
  for (const report of reports) {
    for (const track of [...(report.remoteAudioTrackStats ?? []), ...(report.remoteVideoTrackStats ?? [])]) {
      counters.packetsLost += Math.max(0, num(track.packetsLost) ?? 0);
      counters.packetsReceived += num(track.packetsReceived) ?? 0;
    }
    for (const video of report.remoteVideoTrackStats ?? []) {
      counters.videoBytesReceived += num(video.bytesReceived) ?? 0;
      counters.videoWidth = num(video.dimensions?.width) ?? counters.videoWidth;
      counters.videoHeight = num(video.dimensions?.height) ?? counters.videoHeight;
    }
    const rtt = num(report.localAudioTrackStats?.[0]?.roundTripTime);
    if (rtt !== undefined) counters.rttMs = rtt * 1000;
  }
  return counters;
}

export interface QualitySample {
  rttMs?: number;
  lossPercent?: number;
  width?: number;
  height?: number;
  bitrateKbps?: number;
}

/** What happened between two readings; undefined when the counters went back (a new connection). */
export function sampleBetween(previous: MediaCounters, next: MediaCounters): QualitySample | undefined {
  const elapsed = next.at - previous.at;
  const lost = next.packetsLost - previous.packetsLost;
  const received = next.packetsReceived - previous.packetsReceived;
  const bytes = next.videoBytesReceived - previous.videoBytesReceived;
  if (elapsed <= 0 || lost < 0 || received < 0 || bytes < 0) return undefined;
  return {
    rttMs: next.rttMs,
    lossPercent: lost + received > 0 ? (lost / (lost + received)) * 100 : undefined,
    width: next.videoWidth,
    height: next.videoHeight,
    bitrateKbps: (bytes * 8) / elapsed,
  };
}

/** Nearest-rank percentile (p in 0–100) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** The family and major version from a user agent; nothing else of the string is kept. */
export function browserOf(userAgent: string): { browser: BrowserFamily; major?: number } {
  const patterns: [BrowserFamily, RegExp][] = [
    ['edge', /Edg(?:e|A|iOS)?\/(\d+)/],
    ['firefox', /(?:Firefox|FxiOS)\/(\d+)/],
    ['chrome', /(?:Chrome|CriOS|Chromium)\/(\d+)/],
    ['safari', /Version\/(\d+)[^]*Safari\//],
  ];
  for (const [browser, pattern] of patterns) {
    const match = pattern.exec(userAgent);
    if (match) {
      const major = Number(match[1]);
      return major > 0 && major <= 999 ? { browser, major } : { browser };
    }
  }
  return { browser: 'other' };
}

const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;
const clamp = (n: number, max: number) => Math.min(max, Math.max(0, n));

export interface QualityCollectorOptions {
  /** The current call's counters, if it has a connection yet. */
  read: () => Promise<MediaCounters | undefined>;
  /** Runs `tick` every `ms`; returns a stop function (setInterval in the app, a fake in tests). */
  every: (tick: () => Promise<void>, ms: number) => () => void;
  userAgent: string;
  provider: 'p2p' | 'twilio';
  intervalMs?: number;
}

/** Samples the call until stopped; `summary()` is undefined until two readings gave a sample. */
export function createQualityCollector(options: QualityCollectorOptions) {
  const samples: QualitySample[] = [];
  let previous: MediaCounters | undefined;
  let firstAt: number | undefined;
  let lastAt: number | undefined;
  let reconnects = 0;
  let reading = false;
  const tick = async () => {
    if (reading) return;
    reading = true;
    try {
      const next = await options.read();
      if (!next) return;
      firstAt ??= next.at;
      lastAt = next.at;
      const sample = previous && sampleBetween(previous, next);
      if (sample) samples.push(sample);
      previous = next;
    } catch {
      // A failed reading (connection closing) is just a missing sample.
    } finally {
      reading = false;
    }
  };
  const stop = options.every(tick, options.intervalMs ?? 5000);

  function summary(): CallQualitySummary | undefined {
    if (!samples.length) return undefined;
    const values = (pick: (s: QualitySample) => number | undefined) =>
      samples.map(pick).filter((n): n is number => n !== undefined);
    const rtt = values((s) => s.rttMs);
    const loss = values((s) => s.lossPercent);
    const width = values((s) => s.width);
    const height = values((s) => s.height);
    const bitrate = values((s) => s.bitrateKbps);
    const { browser, major } = browserOf(options.userAgent);
    return {
      browser,
      ...(major ? { browserMajor: major } : {}),
      provider: options.provider,
      samples: samples.length,
      durationSeconds: clamp(round(((lastAt ?? 0) - (firstAt ?? 0)) / 1000), 86_400),
      reconnects: Math.min(reconnects, 1000),
      ...(rtt.length
        ? {
            rttMs: {
              p50: clamp(round(percentile(rtt, 50)), 60_000),
              p95: clamp(round(percentile(rtt, 95)), 60_000),
            },
          }
        : {}),
      ...(loss.length
        ? {
            packetLossPercent: {
              p50: clamp(round(percentile(loss, 50), 2), 100),
              p95: clamp(round(percentile(loss, 95), 2), 100),
            },
          }
        : {}),
      ...(width.length && height.length && bitrate.length
        ? {
            inboundVideo: {
              widthP50: clamp(round(percentile(width, 50)), 8192),
              heightP50: clamp(round(percentile(height, 50)), 8192),
              bitrateKbps: {
                p10: clamp(round(percentile(bitrate, 10)), 100_000),
                p50: clamp(round(percentile(bitrate, 50)), 100_000),
                p90: clamp(round(percentile(bitrate, 90)), 100_000),
              },
            },
          }
        : {}),
    };
  }

  return {
    /** The connection dropped and came back (or was rejoined). */
    noteReconnect: () => void (reconnects += 1),
    summary,
    stop,
    /**
     * Stops sampling after one last reading, so a call shorter than the interval still gets a
     * summary (from the reading at its start to this one).
     */
    async finish(): Promise<CallQualitySummary | undefined> {
      stop();
      await tick();
      return summary();
    },
  };
}
