import { describe, expect, it } from 'vitest';
import { base32Decode, totp } from './totp';

// RFC 6238 appendix B, SHA-1: the ASCII secret "12345678901234567890", 8 digits.
const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('totp', () => {
  it('decodes base32', () => {
    expect(base32Decode(SECRET).toString('ascii')).toBe('12345678901234567890');
    expect(() => base32Decode('not base32!')).toThrow();
  });

  it.each(VECTORS)('matches the RFC 6238 vector at T=%i', (seconds, code) => {
    expect(totp(SECRET, seconds * 1000, 8)).toBe(code);
  });

  it('gives six digits by default, the last six of the RFC code', () => {
    expect(totp(SECRET, 59_000)).toBe('287082');
  });
});
