/**
 * The single table's key design, used by the CDK app and by the local platform to create the table.
 *
 * Entities and access patterns (every list is a Query, never a Scan):
 *
 * | entity      | pk                 | sk                 | gsi1pk            | gsi1sk                   |
 * |-------------|--------------------|--------------------|-------------------|--------------------------|
 * | profile     | USER#<userId>      | PROFILE            | ROLE#<role>       | NAME#<lower name>#<id>   |
 * |             |                    |                    | gsi2 (confirmed phone only): PHONE#<e164> / USER#<id> |
 * | audit entry | AUDIT#<yyyy-mm-dd> | <iso time>#<uuid>  | ACTOR#<userId>    | <iso time>#<uuid>        |
 * |             |                    |                    | gsi2: AUDIT_PATIENT#<patientId> / <iso time>#<uuid> |
 * | connection  | CONN#<connId>      | CONN               | USERCONN#<userId> | <connId>                 |
 * | availability| USER#<doctorId>    | AVAILABILITY       |                   |                          |
 * | sessions    | USER#<userId>      | SESSIONS           |                   |                          |
 * | phone code  | USER#<userId>      | PHONE_CODE         |                   |                          |
 * | appointment | APPT#<id>          | APPT               | DOCAPPT#<doctorId>| <start iso>#<id>         |
 * |             |                    |                    | gsi2: PATAPPT#<patientId> / <start iso>#<id>  |
 * | visit notes | APPT#<id>          | NOTES              |                   |                          |
 * | feedback    | APPT#<id>          | FEEDBACK#<userId>  | VISITQ#<iso week> | <score>#<iso>#<id>#<kind>#<role> |
 * | call quality| APPT#<id>          | CALLQUALITY#<userId> | VISITQ#<iso week> | <score>#<iso>#<id>#<kind>#<role> |
 * | time claim  | CLAIM#<role>:<id>  | <bucket iso>       |                   |                          |
 * | booking key | BOOKINGKEY#<patientId> | <Idempotency-Key> |               |                          |
 * | doc↔patient | DOCPAT#<doctorId>  | <patientId>        | DOCPATNAME#<doctorId> | <lower name>#<patientId> |
 * | sms outbox  | OUTBOX             | <iso>#<messageId>  |                   |                          |
 * | reminder    | REMINDERS          | <appointmentId>    |                   |                          |
 * | rate limit  | RATE#<kind>:<who>  | RATE               |                   |                          |
 * | sent text   | TEXT#<textId>      | SENT               | TEXTSID#<sid>     | SENT (once accepted)     |
 * | visit pass  | PASS#<sha256>      | PASS               | APPTPASS#<apptId> | <holderId>#<sha256>      |
 * | visit session | VSESSION#<sha256> | VSESSION          | APPTPASS#<apptId> | <holderId>#<sha256>      |
 * | guest       | APPT#<id>          | GUEST              |                   |                          |
 *
 * - Get a profile: GetItem USER#<id> / PROFILE.
 * - Whether a token's sign-in outlives the user's last sign-out everywhere: GetItem USER#<id> / SESSIONS.
 * - Health check: GetItem HEALTH / HEALTH, a key nothing writes (`GET /health`).
 * - The code waiting to confirm a user's phone: GetItem USER#<id> / PHONE_CODE; each attempt is one
 *   conditional UpdateItem (attempts < 5), so parallel guesses cannot exceed the limit.
 * - List users of a role (doctor directory) by name: Query gsi1 ROLE#<role>.
 * - Audit trail over UTC days (ADR 0009), newest first: of everyone, Query AUDIT#<day> per day; of one
 *   actor, Query gsi1 ACTOR#<id> with gsi1sk BETWEEN <from> AND <to>~; about one patient's records,
 *   Query gsi2 AUDIT_PATIENT#<id> the same way (filtered on actorId when both are asked). Entries
 *   written before the patient index have gsi1sk `<iso time>` only and no gsi2 keys.
 * - A user's live connections: Query gsi1 USERCONN#<id> (expired ones filtered on read).
 * - A doctor's schedule in a date range: Query gsi1 DOCAPPT#<id> BETWEEN <from> AND <to>.
 * - A patient's appointments in a date range: Query gsi2 PATAPPT#<id> BETWEEN <from> AND <to>.
 * - Whether a doctor may see a patient: GetItem DOCPAT#<doctorId> / <patientId>.
 * - A patient's visits with one doctor, a page at a time, newest first: Query gsi2 PATAPPT#<id>
 *   descending, filtered on doctorId (a patient's history is short and mostly with their own
 *   doctors, so the filter discards little); then the page's notes in one BatchGetItem of
 *   APPT#<id> / NOTES keys (at most 100: the page limit), unprocessed keys retried with backoff.
 *   Notes stay their own item rather than attributes of the appointment: the appointment is
 *   projected into both indexes and read by the patient's own lists, and its versioned
 *   transactions would then rewrite up to 20 KB of notes on every status change.
 * - A doctor's patients by name: Query gsi1 DOCPATNAME#<doctorId>.
 * - Doctor directory search: Query gsi1 ROLE#doctor with a filter on `searchText`.
 * - Who holds a 5-minute bucket of someone's time: GetItem CLAIM#<owner> / <bucket>. Booking,
 *   rescheduling and cancelling write the appointment and its claims in one TransactWriteItems; the
 *   `attribute_not_exists` condition on each new claim is what makes double booking impossible.
 * - Whether a patient's Idempotency-Key was used in the last 24 hours: GetItem BOOKINGKEY#<id> / <key>.
 * - A request against a rate limit (bookings per patient, sign-ups per client IP): one conditional
 *   UpdateItem on RATE#<kind>:<who> (GCRA), TTL when idle.
 * - Whether a queued text already went out (ADR 0010): GetItem TEXT#<textId> / SENT, TTL 14 days.
 * - The text a Twilio delivery report is about: Query gsi1 TEXTSID#<Message SID>; the report is one
 *   conditional UpdateItem (a later stage is never replaced by an earlier one).
 * - Whose confirmed number replied STOP/START: Query gsi2 PHONE#<e164> (profiles written since the
 *   index; each is re-read before it changes).
 * - One feedback and one call-quality summary per participant and visit (ADR 0011): PutItem with
 *   `attribute_not_exists(pk)` on APPT#<id> / FEEDBACK#<userId> or CALLQUALITY#<userId>.
 * - A week's feedback and quality summaries, worst first (score 1–5 leads the sort key): Query gsi1
 *   VISITQ#<week> ascending, filtered on doctorId / browser / kind when the admin asks.
 * - The local SMS outbox, newest first: Query OUTBOX, descending; a text's entry is updated in place
 *   (queued → sent | failed) under <queuedAt>#<textId>.
 * - Redeem a visit link once (ADR 0021-visit-passes): one conditional UpdateItem on PASS#<hash>
 *   (`attribute_not_exists(usedAt) AND expiresAt > :now`); check a visit session: GetItem
 *   VSESSION#<hash>. A visit's passes and sessions (to end them with the visit, or one guest's):
 *   Query gsi1 APPTPASS#<appointmentId> (optionally `begins_with(gsi1sk, <holderId>#)`).
 * - A visit's guest: GetItem APPT#<id> / GUEST.
 * - Due reminders (local scheduler only): Query REMINDERS filtered on dueAt; on AWS they are
 *   EventBridge Scheduler one-time schedules instead.
 *
 * `expiresAt` (epoch seconds) is the TTL attribute (on AWS and on DynamoDB Local). TTL deletes late
 * (up to days on AWS), so readers still filter expired items.
 */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  indexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
} as const;
