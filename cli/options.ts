/** Commander options validated with the command's zod schema before any work (trigger.dev's CLI shape). */
import type { z } from 'zod';
import { UsageError } from './output';

/** Parses commander options with `schema`; every problem is a line of one `UsageError` naming the flag. */
export function parseOptions<T>(schema: z.ZodType<T>, raw: Record<string, unknown>): T {
  const r = schema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
  if (r.success) return r.data;
  const flag = (p: PropertyKey[]): string => `--${String(p[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  throw new UsageError(
    r.error.issues
      .map((i) => (i.code === 'unrecognized_keys' ? `unknown option(s) ${i.keys.join(', ')}` : `${flag(i.path)}: ${i.message}`))
      .join('\n'),
  );
}
