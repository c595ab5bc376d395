/** The one question a destructive command asks on the terminal before it starts. */
import { createInterface } from 'node:readline/promises';

/** Asks `question` on the TTY (prompt on stderr) and returns the trimmed answer. */
export async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}
