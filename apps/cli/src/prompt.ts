import { createInterface } from 'node:readline/promises';

/** Asks on the terminal and resolves true only when the answer is exactly the expected text. */
export async function confirmByTyping(question: string, expected: string): Promise<boolean> {
  const readline = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await readline.question(question)).trim() === expected;
  } finally {
    readline.close();
  }
}
