import { randomBytes } from 'node:crypto';

const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * Ids sort by creation time (10 characters of milliseconds, then 16 random), so the id
 * alone is a stable cursor for pagination. The prefix tells a reader what the id names.
 */
export function newId(prefix: string, now = Date.now()): string {
  let time = '';
  let rest = now;
  for (let i = 0; i < 10; i++) {
    time = alphabet[rest % 32] + time;
    rest = Math.floor(rest / 32);
  }
  let random = '';
  for (const byte of randomBytes(16)) random += alphabet[byte % 32];
  return `${prefix}_${time}${random}`;
}
