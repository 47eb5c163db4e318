import { HelixError } from '@helixstack/sdk';

function pgCode(error: unknown): string | undefined {
  for (
    let current = error;
    current && typeof current === 'object';
    current = (current as { cause?: unknown }).cause
  ) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** Turns a unique-constraint violation into a 409 that names what is taken. */
export async function uniquely<T>(what: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (pgCode(error) === '23505') throw new HelixError('HLX_CONFLICT', `${what} already exists.`);
    throw error;
  }
}
