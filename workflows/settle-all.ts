/**
 * `Promise.all` that waits for every promise before it rejects: a cancelled group of activities
 * (each `WAIT_CANCELLATION_COMPLETED`) has stopped entirely when the caller goes on to its undo, so
 * nothing keeps polling after the run. Deterministic.
 */

/** Resolves with every value, or rejects with the first rejection once all have settled. */
export async function settleAll<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
