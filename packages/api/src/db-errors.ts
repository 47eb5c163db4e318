import { isUniqueViolation } from '@helixstack/db';
import { HelixError } from '@helixstack/sdk';

/** Turns a unique-constraint violation into a 409 that names what is taken. */
export async function uniquely<T>(what: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (isUniqueViolation(error)) throw new HelixError('HLX_CONFLICT', `${what} already exists.`);
    throw error;
  }
}
