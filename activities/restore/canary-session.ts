/** One connection to a canary data plane for the span of one activity, always closed. */
import type { ActivityDeps } from '../deps';
import type { CanaryStore, CanaryTarget } from '../canary/canary-store';

/** Runs `fn` on a store connected to `target` and closes it afterwards. */
export async function withStore<T>(deps: ActivityDeps, target: CanaryTarget, fn: (s: CanaryStore) => Promise<T>): Promise<T> {
  const store = await deps.canary.connect(target);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
