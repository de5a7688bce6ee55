/**
 * What every VisitQualityRepository does, run against the in-memory fake (unit) and the DynamoDB
 * adapter on DynamoDB Local (integration), so the two cannot drift apart.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { StoredVisitQuality, VisitQualityRepository } from '../ports';

function feedback(appointmentId: string, userId: string, week: string): StoredVisitQuality {
  return {
    appointmentId,
    userId,
    patientId: userId,
    doctorId: 'doc-contract',
    visitStart: '2031-05-05T09:00:00.000Z',
    week,
    kind: 'visit',
    role: 'patient',
    score: 2,
    submittedAt: '2031-05-05T09:30:00.000Z',
    visitRating: 4,
    callRating: 2,
    comment: 'The picture froze twice',
  };
}

export function visitQualityRepositoryContract(name: string, repository: () => VisitQualityRepository) {
  describe(`VisitQualityRepository contract: ${name}`, () => {
    it('keeps one feedback per author and visit, and reads it back', async () => {
      const repo = repository();
      const [appointmentId, userId] = [randomUUID(), randomUUID()];
      const row = feedback(appointmentId, userId, `2031-W${randomUUID().slice(0, 4)}`);
      await expect(repo.add(row)).resolves.toBe(true);
      await expect(repo.add({ ...row, visitRating: 1 })).resolves.toBe(false);
      await expect(repo.getFeedback(appointmentId, userId)).resolves.toEqual(row);
      await expect(repo.getFeedback(appointmentId, randomUUID())).resolves.toBeUndefined();
    });

    it('erasing the text keeps the ratings, in the item and in the week’s report', async () => {
      const repo = repository();
      const [appointmentId, userId] = [randomUUID(), randomUUID()];
      const week = `2031-W${randomUUID().slice(0, 4)}`;
      const row = feedback(appointmentId, userId, week);
      await repo.add(row);
      await repo.eraseText(appointmentId, userId);
      const { comment: _gone, ...kept } = row;
      await expect(repo.getFeedback(appointmentId, userId)).resolves.toEqual(kept);
      const page = await repo.listWeek(week, {}, undefined, 10);
      expect(page.items).toEqual([kept]);
      // Nothing to erase is no error.
      await expect(repo.eraseText(randomUUID(), userId)).resolves.toBeUndefined();
    });
  });
}
