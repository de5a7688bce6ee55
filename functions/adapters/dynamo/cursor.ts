import { BadRequest } from '../../core/errors';

type Key = Record<string, string>;

/** Opaque pagination cursors: the DynamoDB key to continue from, base64url-encoded. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

export const invalidCursor = () =>
  new BadRequest('The cursor is not valid for this list', { cursor: 'Invalid cursor' }, 'invalid_cursor');

/**
 * A cursor must continue the same query it came from: exactly the key attributes of the table or
 * index being queried, all strings, with the queried partition (or one of them, for a list that
 * walks several) — otherwise DynamoDB would fail with
 * a 500 instead of the client getting a 400.
 */
export function decodeCursor(
  cursor: string | undefined,
  keyAttributes: readonly string[],
  partition: { attribute: string; value: string | readonly string[] },
): Key | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalidCursor();
  const names = Object.keys(key).sort();
  const valid =
    names.length === keyAttributes.length &&
    [...keyAttributes].sort().every((name, i) => names[i] === name) &&
    Object.values(key).every((v) => typeof v === 'string' && v.length > 0 && v.length <= 1024) &&
    [partition.value].flat().includes((key as Key)[partition.attribute]!);
  if (!valid) throw invalidCursor();
  return key as Key;
}
