import { describe, expect, it } from 'vitest';
import { mintVisitLink, recordCheckIn, startVisitRescue } from './rescue';
import { tokenHash } from './visit-passes';
import { textedAppointment, textingDeps } from './testing/fixtures';

const appointment = textedAppointment({ start: '2030-01-07T15:00:00.000Z', end: '2030-01-07T15:20:00.000Z' });

const setup = (nowIso: string, smsOptIn = true) => textingDeps(nowIso, appointment, { smsOptIn });

const tokenIn = (body: string) => /\/visit-link#([A-Za-z0-9_-]{43}) /.exec(body)?.[1];

describe('the job at the start', () => {
  it('texts a late patient a link whose token is stored only as a hash, and tells the doctor', async () => {
    const mem = await setup('2030-01-07T15:00:02Z');
    expect(await startVisitRescue(appointment, mem.deps)).toBe('texted');
    expect(mem.sent).toHaveLength(1);
    const body = mem.sent[0]!.body;
    expect(body).toMatch(
      /^In-Memory Practice: your video visit has started\. Tap to join: https:\/\/app\.example\.test\/visit-link#/,
    );
    expect(body).not.toMatch(/Rivera|Pat|Rash/);
    const token = tokenIn(body)!;
    expect(mem.visitPasses.passes.get(tokenHash(token))).toMatchObject({
      appointmentId: 'a-1',
      holder: 'patient',
      holderId: 'p',
    });
    expect(JSON.stringify([...mem.visitPasses.passes.values()])).not.toContain(token);
    expect(mem.pushed).toContainEqual(
      expect.objectContaining({ userId: 'd', frame: expect.objectContaining({ type: 'rescue' }) }),
    );
    expect(mem.counted).toContain('VisitDue');
  });

  it('a retried job neither counts the visit again nor texts again', async () => {
    const mem = await setup('2030-01-07T15:00:02Z');
    await startVisitRescue(appointment, mem.deps);
    expect(await startVisitRescue(appointment, mem.deps)).toBe('skipped');
    expect(mem.sent).toHaveLength(1);
    expect([...mem.visitWeeks.values()]).toEqual([
      { week: '2030-01-07', visits: 1, noShows: 0, lateJoins: 0 },
    ]);
  });

  it('does nothing for a cancelled visit, and outside the visit', async () => {
    const mem = await setup('2030-01-07T15:00:02Z');
    expect(await startVisitRescue({ ...appointment, status: 'cancelled' }, mem.deps)).toBe('skipped');
    expect(await startVisitRescue(undefined, mem.deps)).toBe('skipped');
    const moved = await setup('2030-01-07T15:00:02Z');
    // Moved to tomorrow: the old schedule's run finds it is not time.
    expect(
      await startVisitRescue(
        { ...appointment, start: '2030-01-08T15:00:00.000Z', end: '2030-01-08T15:20:00.000Z' },
        moved.deps,
      ),
    ).toBe('skipped');
    expect([...mem.visitWeeks.values(), ...moved.visitWeeks.values()]).toEqual([]);
  });

  it('counts but does not text a checked-in or an opted-out patient', async () => {
    const present = await setup('2030-01-07T15:00:02Z');
    expect(await startVisitRescue({ ...appointment, status: 'checked_in' }, present.deps)).toBe('present');
    const optedOut = await setup('2030-01-07T15:00:02Z', false);
    expect(await startVisitRescue(appointment, optedOut.deps)).toBe('not_textable');
    expect([...present.sent, ...optedOut.sent]).toEqual([]);
    expect(present.visitWeeks.size + optedOut.visitWeeks.size).toBe(2);
  });
});

describe('a new link', () => {
  it('revokes the previous link once texted, and a link that did not go is discarded', async () => {
    const mem = await setup('2030-01-07T15:00:02Z');
    await startVisitRescue(appointment, mem.deps);
    const first = tokenHash(tokenIn(mem.sent[0]!.body)!);
    const webOrigin = 'https://app.example.test';
    const second = await mintVisitLink(appointment, { ...mem.deps, webOrigin });
    expect(mem.visitPasses.passes.has(first)).toBe(true);
    await second.sent(new Date('2030-01-07T15:02:00Z'));
    expect(mem.visitPasses.passes.has(first)).toBe(false);
    const third = await mintVisitLink(appointment, { ...mem.deps, webOrigin });
    await third.discard();
    expect(mem.visitPasses.passes.size).toBe(1);
  });
});

describe('late joins', () => {
  it('counts a check-in more than 5 minutes late, in the week of the start', async () => {
    const onTime = await setup('2030-01-07T15:05:00Z');
    await recordCheckIn(appointment, onTime.deps);
    expect(onTime.visitWeeks.size).toBe(0);
    const late = await setup('2030-01-07T15:05:01Z');
    await recordCheckIn(appointment, late.deps);
    expect([...late.visitWeeks.values()]).toEqual([
      { week: '2030-01-07', visits: 0, noShows: 0, lateJoins: 1 },
    ]);
    expect(late.counted).toEqual(['LateJoin']);
  });
});
