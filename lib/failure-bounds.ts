/**
 * Size bounds of what a run writes into its history as failures and results, far under the
 * gRPC message limit of 4 MB that the Temporal server and SDK enforce: a failure's message, its
 * stack and its details are cut here, once, for activities (`lib/activity-bounds-interceptor.ts`)
 * and for the run's own failure and report (`workflows/kit`). Pure; importable from workflows.
 */

/** Longest failure message kept (characters). */
export const MAX_FAILURE_MESSAGE = 8 * 1024;
/** Longest stack trace kept (characters). */
export const MAX_FAILURE_STACK = 4 * 1024;
/** Largest JSON of a failure's details kept (characters); larger details are replaced by a note. */
export const MAX_FAILURE_DETAILS = 256 * 1024;
/** Largest JSON of an activity result accepted (characters); a larger result fails the activity. */
export const MAX_RESULT_JSON = 1024 * 1024;

/** `text` cut to `max` characters, saying how long it was. */
export function boundText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… [cut: ${text.length} characters in all]`;
}

/** Length of `value` as JSON, or -1 when it does not serialise (a cycle, a BigInt). */
export function jsonLength(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return -1;
  }
}

/** `details` kept when their JSON fits {@link MAX_FAILURE_DETAILS}, else one note saying how large they were. */
export function boundDetails(details: readonly unknown[]): unknown[] {
  const n = jsonLength(details);
  if (n >= 0 && n <= MAX_FAILURE_DETAILS) return [...details];
  return [{ detailsDropped: true, reason: n < 0 ? 'not serialisable as JSON' : `${n} characters of JSON, over ${MAX_FAILURE_DETAILS}` }];
}
