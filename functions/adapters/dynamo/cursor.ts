import { BadRequest } from '../../lib/errors';

type Key = Record<string, string>;

/** Opaque pagination cursors: the DynamoDB key to continue from, base64url-encoded. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

/**
 * A cursor must continue the same query it came from: its partition key has to be the one being
 * queried, or DynamoDB would fail with a 500 instead of the client getting a 400.
 */
export function decodeCursor(
  cursor: string | undefined,
  partitionAttribute: string,
  partitionValue: string,
): Key | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const valid =
    typeof key === 'object' &&
    key !== null &&
    Object.values(key).every((v) => typeof v === 'string') &&
    (key as Key)[partitionAttribute] === partitionValue;
  if (!valid)
    throw new BadRequest(
      'The cursor is not valid for this list',
      { cursor: 'Invalid cursor' },
      'invalid_cursor',
    );
  return key as Key;
}
