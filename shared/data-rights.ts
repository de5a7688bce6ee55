/**
 * A patient's data rights: a copy of everything we hold about them, and closing their account.
 * Types and the request schema are shared by the handlers, the web app and the tests.
 */
import * as v from 'valibot';
import type { Profile } from './api';
import type { Appointment, OutboxMessage } from './appointments';
import type { ChatMessage } from './live';

/** What the patient must type to confirm that their account is to be deleted. */
export const DELETION_CONFIRMATION = 'DELETE';

export const AccountDeletionRequest = v.strictObject({
  confirm: v.literal(DELETION_CONFIRMATION, `Type ${DELETION_CONFIRMATION} to confirm`),
});

/** `POST /me/deletion`: the account is closed (the same answer for a repeated request). */
export interface AccountDeletion {
  /** When the account was first deleted. */
  deletedAt: string;
  /** Future appointments this request cancelled (0 on a repeat). */
  cancelledAppointments: number;
}

/** A consent the patient gave for one visit (telehealth at check-in, recording in the call). */
export interface ExportedConsent {
  kind: 'telehealth' | 'recording';
  value: boolean;
  version: string;
  at: string;
}

export interface ExportedAppointment extends Appointment {
  /** The visit summary the doctor shared with the patient (the doctor's own notes are not theirs). */
  sharedSummary?: { summary: string; updatedAt: string };
  consents: ExportedConsent[];
  /** The visit's chat, both sides, oldest first. */
  messages: ChatMessage[];
  /** The patient's own feedback on the visit, when they left some. */
  feedback?: { visitRating?: number; callRating?: number; comment?: string; submittedAt: string };
}

/** `GET /me/export`: everything we hold about the calling patient. */
export interface DataExport {
  exportedAt: string;
  profile: Profile;
  consents: {
    termsVersion?: string;
    privacyVersion?: string;
    acceptedAt?: string;
    smsOptIn: boolean;
  };
  /** Every appointment in every state, newest first. */
  appointments: ExportedAppointment[];
  /**
   * Texts sent to the patient that this platform stored (the local outbox); null where texts go
   * straight to the SMS provider and we keep no copy.
   */
  texts: OutboxMessage[] | null;
}

/** `telehealth-data-2026-03-14.json`: the download's name, from the export's time (UTC date). */
export function dataExportFileName(exportedAt: string): string {
  return `telehealth-data-${exportedAt.slice(0, 10)}.json`;
}
