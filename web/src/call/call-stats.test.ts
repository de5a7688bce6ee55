import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { CallQualitySummary } from '../../../shared/visit-feedback';
import {
  browserOf,
  combineCounters,
  countersFromRtcStats,
  countersFromTwilioStats,
  createQualityCollector,
  percentile,
  sampleBetween,
  type MediaCounters,
} from './call-stats';

const report = (stats: Record<string, unknown>[]) => ({
  forEach: (cb: (s: Record<string, unknown>) => void) => stats.forEach(cb),
});

describe('reading stats', () => {
  it('takes the succeeded pair’s RTT and sums inbound streams; addresses are never read', () => {
    const counters = countersFromRtcStats(
      report([
        { type: 'candidate-pair', state: 'in-progress', currentRoundTripTime: 0.9 },
        { type: 'candidate-pair', state: 'succeeded', currentRoundTripTime: 0.042 },
        { type: 'local-candidate', address: '192.168.1.20', port: 5000 },
        { type: 'inbound-rtp', kind: 'audio', packetsLost: 2, packetsReceived: 98, bytesReceived: 5000 },
        {
          type: 'inbound-rtp',
          kind: 'video',
          packetsLost: 3,
          packetsReceived: 197,
          bytesReceived: 250_000,
          frameWidth: 640,
          frameHeight: 480,
        },
      ]),
      1000,
    );
    expect(counters).toEqual({
      at: 1000,
      rttMs: 42,
      packetsLost: 5,
      packetsReceived: 295,
      videoBytesReceived: 250_000,
      videoWidth: 640,
      videoHeight: 480,
    });
  });

  it('reads twilio-video’s track stats the same way', () => {
    expect(
      countersFromTwilioStats(
        [
          {
            localAudioTrackStats: [{ roundTripTime: 0.1 }],
            remoteAudioTrackStats: [{ packetsLost: 1, packetsReceived: 99 }],
            remoteVideoTrackStats: [
              {
                packetsLost: null,
                packetsReceived: 300,
                bytesReceived: 9000,
                dimensions: { width: 1280, height: 720 },
              },
            ],
          },
        ],
        5,
      ),
    ).toEqual({
      at: 5,
      rttMs: 100,
      packetsLost: 1,
      packetsReceived: 399,
      videoBytesReceived: 9000,
      videoWidth: 1280,
      videoHeight: 720,
    });
  });

  it('turns two readings into loss and bitrate over the interval; a reset connection gives no sample', () => {
    const a: MediaCounters = { at: 0, packetsLost: 0, packetsReceived: 100, videoBytesReceived: 0 };
    const b: MediaCounters = {
      at: 5000,
      rttMs: 50,
      packetsLost: 10,
      packetsReceived: 290,
      videoBytesReceived: 625_000,
      videoWidth: 640,
      videoHeight: 360,
    };
    expect(sampleBetween(a, b)).toEqual({
      rttMs: 50,
      lossPercent: 5,
      width: 640,
      height: 360,
      bitrateKbps: 1000,
    });
    expect(sampleBetween(b, { ...a, at: 10_000 })).toBeUndefined();
  });

  it('nearest-rank percentiles', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect([
      percentile(values, 10),
      percentile(values, 50),
      percentile(values, 95),
      percentile(values, 100),
    ]).toEqual([1, 5, 10, 10]);
    expect(percentile([7], 50)).toBe(7);
  });
});

describe('browser family', () => {
  it.each([
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.61 Safari/537.36',
      'chrome',
      126,
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.56',
      'edge',
      126,
    ],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'firefox', 128],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      'safari',
      17,
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1',
      'chrome',
      126,
    ],
    ['curl/8.5.0', 'other', undefined],
  ])('%s → %s %s', (ua, browser, major) => {
    expect(browserOf(ua)).toEqual(major ? { browser, major } : { browser });
  });
});

describe('the collector', () => {
  function harness(readings: (MediaCounters | undefined)[]) {
    let tick: (() => Promise<void>) | undefined;
    let stopped = false;
    let interval = 0;
    const collector = createQualityCollector({
      read: async () => readings.shift(),
      every: (fn, ms) => {
        tick = fn;
        interval = ms;
        return () => void (stopped = true);
      },
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
      provider: 'p2p',
    });
    return { collector, tick: () => tick!(), stopped: () => stopped, interval: () => interval };
  }
  const reading = (at: number, received: number, lost: number, bytes: number, rttMs = 40): MediaCounters => ({
    at,
    rttMs,
    packetsLost: lost,
    packetsReceived: received,
    videoBytesReceived: bytes,
    videoWidth: 640,
    videoHeight: 480,
  });

  it('samples every 5 s and sums up a call the server accepts', async () => {
    const h = harness([
      undefined, // not connected yet
      reading(0, 0, 0, 0),
      reading(5000, 500, 0, 500_000),
      reading(10_000, 990, 10, 1_000_000, 300),
      reading(15_000, 1490, 10, 1_600_000),
    ]);
    expect(h.interval()).toBe(5000);
    expect(h.collector.summary()).toBeUndefined();
    for (let i = 0; i < 5; i++) await h.tick();
    h.collector.noteReconnect();
    const summary = h.collector.summary()!;
    expect(summary).toEqual({
      browser: 'firefox',
      browserMajor: 128,
      provider: 'p2p',
      samples: 3,
      durationSeconds: 15,
      reconnects: 1,
      rttMs: { p50: 40, p95: 300 },
      packetLossPercent: { p50: 0, p95: 2 },
      inboundVideo: { widthP50: 640, heightP50: 480, bitrateKbps: { p10: 800, p50: 800, p90: 960 } },
    });
    expect(v.safeParse(CallQualitySummary, summary).success).toBe(true);
    h.collector.stop();
    expect(h.stopped()).toBe(true);
  });

  it('finishing takes one last reading, so a call shorter than the interval is summed up too', async () => {
    const h = harness([reading(0, 0, 0, 0), reading(3000, 300, 0, 300_000)]);
    await h.tick(); // the reading as the call starts
    expect(h.collector.summary()).toBeUndefined();
    const summary = await h.collector.finish();
    expect(h.stopped()).toBe(true);
    expect(summary).toMatchObject({ samples: 1, durationSeconds: 3, inboundVideo: { widthP50: 640 } });
  });

  it('a failed reading is a missing sample, not an error', async () => {
    let calls = 0;
    let tick: (() => Promise<void>) | undefined;
    const collector = createQualityCollector({
      read: async () => {
        calls += 1;
        if (calls === 2) throw new Error('closed');
        return reading(calls * 5000, calls * 100, 0, calls * 1000);
      },
      every: (fn) => ((tick = fn), () => {}),
      userAgent: 'curl/8',
      provider: 'twilio',
    });
    for (let i = 0; i < 3; i++) await tick!();
    expect(collector.summary()).toMatchObject({ browser: 'other', provider: 'twilio', samples: 1 });
    expect(collector.summary()).not.toHaveProperty('browserMajor');
  });
});

describe('counters of several connections', () => {
  const counters = (c: Partial<MediaCounters>): MediaCounters => ({
    at: 0,
    packetsLost: 0,
    packetsReceived: 0,
    videoBytesReceived: 0,
    ...c,
  });

  it('add up packets and bytes, keep the slowest round trip, the largest picture and the latest time', () => {
    expect(
      combineCounters([
        counters({
          at: 5,
          rttMs: 40,
          packetsLost: 1,
          packetsReceived: 100,
          videoBytesReceived: 1000,
          videoWidth: 640,
          videoHeight: 480,
        }),
        counters({
          at: 7,
          rttMs: 90,
          packetsLost: 2,
          packetsReceived: 50,
          videoBytesReceived: 500,
          videoWidth: 1280,
          videoHeight: 720,
        }),
        counters({ at: 6, packetsReceived: 10 }),
      ]),
    ).toEqual({
      at: 7,
      rttMs: 90,
      packetsLost: 3,
      packetsReceived: 160,
      videoBytesReceived: 1500,
      videoWidth: 1280,
      videoHeight: 720,
    });
    expect(combineCounters([])).toBeUndefined();
  });

  it('connections kept after they closed still give the summary its last sample, and no empty one', async () => {
    // The doctor's call: its connection read while open (every second), then closed as the doctor
    // leaves; the collector's last reading comes after that.
    const kept = new Map<string, MediaCounters>();
    kept.set('D1', counters({ at: 0 }));
    let tick: (() => Promise<void>) | undefined;
    const collector = createQualityCollector({
      read: async () => combineCounters([...kept.values()]),
      every: (fn) => ((tick = fn), () => {}),
      userAgent: 'curl/8',
      provider: 'p2p',
    });
    await tick!();
    kept.set('D1', counters({ at: 3000, packetsReceived: 300, videoBytesReceived: 300_000 }));
    // Closed now: nothing newer comes, the last good counters stand.
    const summary = await collector.finish();
    expect(summary).toMatchObject({ samples: 1, durationSeconds: 3, packetLossPercent: { p50: 0 } });
    await tick!();
    expect(collector.summary()).toMatchObject({ samples: 1 });
  });
});
