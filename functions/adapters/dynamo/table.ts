/**
 * The single table's key design, used by the CDK app and by the local platform to create the table.
 *
 * Entities and access patterns (every list is a Query, never a Scan):
 *
 * | entity      | pk                 | sk                 | gsi1pk            | gsi1sk                   |
 * |-------------|--------------------|--------------------|-------------------|--------------------------|
 * | profile     | USER#<userId>      | PROFILE            | ROLE#<role>       | NAME#<lower name>#<id>   |
 * | audit entry | AUDIT#<yyyy-mm-dd> | <iso time>#<uuid>  | ACTOR#<userId>    | <iso time>               |
 * | connection  | CONN#<connId>      | CONN               | USERCONN#<userId> | <connId>                 |
 *
 * - Get a profile: GetItem USER#<id> / PROFILE.
 * - List users of a role (doctor directory) by name: Query gsi1 ROLE#<role>.
 * - Audit trail of one day: Query AUDIT#<day>; of one actor: Query gsi1 ACTOR#<id>.
 * - A user's live connections: Query gsi1 USERCONN#<id> (expired ones filtered on read).
 *
 * `expiresAt` (epoch seconds) is the TTL attribute on AWS; dynalite never deletes, so readers filter.
 */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  indexes: [{ name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
} as const;
