import { randomBytes } from 'node:crypto';

const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
let lastTime = -1;
let lastRandom: number[] = [];

function encodeTime(time: number): string {
  let encoded = '';
  let rest = time;
  for (let i = 0; i < 10; i++) {
    encoded = alphabet[rest % 32] + encoded;
    rest = Math.floor(rest / 32);
  }
  return encoded;
}

/** Within one millisecond the random part counts up, so ids made in a row stay in order. */
function nextRandom(time: number): number[] {
  if (time === lastTime) {
    const next = [...lastRandom];
    for (let i = next.length - 1; i >= 0; i--) {
      next[i] = (next[i]! + 1) % 32;
      if (next[i] !== 0) break;
    }
    return next;
  }
  return [...randomBytes(16)].map((byte) => byte % 32);
}

/**
 * Ids sort by creation time (10 characters of milliseconds, then 16 random), so the id
 * alone is a stable cursor for pagination. The prefix tells a reader what the id names.
 */
export function newId(prefix: string, now = Date.now()): string {
  const time = Math.max(now, lastTime);
  lastRandom = nextRandom(time);
  lastTime = time;
  return `${prefix}_${encodeTime(time)}${lastRandom.map((digit) => alphabet[digit]).join('')}`;
}
