/**
 * A short-lived connection to a canary target for one read or write.
 */
import type { ActivityDeps } from '../deps';
import type { CanaryStore, CanaryTarget } from '../canary/canary-store';

/**
 * Runs `use` on a fresh connection to the canary `target` and closes it. A failure (connect, use
 * or close) is reported to `onError` as `name: message` and gives `undefined`, so a poll reads again.
 */
export async function withCanaryStore<T>(
  deps: ActivityDeps,
  target: CanaryTarget,
  use: (store: CanaryStore) => Promise<T>,
  onError: (detail: string) => void,
): Promise<T | undefined> {
  try {
    const store = await deps.canary.connect(target);
    try {
      return await use(store);
    } finally {
      await store.close();
    }
  } catch (err) {
    onError(`${(err as Error).name}: ${(err as Error).message}`);
    return undefined;
  }
}
