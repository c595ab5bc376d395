/**
 * The wait for the canary's first committed row (the RPO baseline of a promotion).
 */
import { pollUntil } from '../aws/poll';
import type { ActivityDeps } from '../deps';
import { canaryTargetFromRunbook } from '../measurement/canary-target';
import type { Runbook } from '../../runbooks/schema';
import { activityHooks } from './activity-context';
import { activityPollOptions } from './activity-poll';
import type { PollSettings } from '../../contracts/promotion';
import { withCanaryStore } from './canary-store-session';

/**
 * Waits until the canary writer has committed at least one row of `runId` on the runbook's
 * canary endpoint (the current writer), so the promotion starts with an RPO baseline. Returns
 * `ok: false` (not an error) at the deadline: the region may already be unreachable, and the
 * promotion must not wait on it; the report then says why RPO is not measured.
 */
export async function awaitCanaryWrites(
  deps: ActivityDeps,
  input: { readonly runbook: Runbook; readonly runId: string; readonly poll: PollSettings; readonly timeoutMs: number },
): Promise<{ readonly ok: boolean; readonly at: number; readonly newestSeq?: number; readonly detail: string }> {
  const hooks = activityHooks();
  const { target, reason } = canaryTargetFromRunbook(input.runbook);
  if (!target) return { ok: false, at: deps.clock.now(), detail: reason ?? 'no canary target' };
  let lastError = 'no row yet';
  const fastMs = Math.min(input.poll.fastIntervalMs, 1000);
  try {
    const r = await pollUntil<number | undefined>({
      what: `first canary write of ${input.runId}`,
      read: () =>
        withCanaryStore(
          deps,
          target,
          async (store) => (await store.newest(input.runId))?.seq,
          (detail) => (lastError = detail),
        ),
      done: (seq) => seq !== undefined,
      ...activityPollOptions(deps.clock, hooks, { intervalMs: fastMs, fastIntervalMs: fastMs }, input.timeoutMs),
    });
    return { ok: true, at: r.observedAt, newestSeq: r.state!, detail: `canary writing (seq ${r.state})` };
  } catch (err) {
    if ((err as Error).name !== 'PollTimeoutError') throw err;
    return { ok: false, at: deps.clock.now(), detail: `no canary write committed within ${input.timeoutMs} ms (${lastError})` };
  }
}
