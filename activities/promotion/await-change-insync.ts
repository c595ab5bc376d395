/**
 * The wait for a Route 53 change to reach INSYNC.
 */
import type { ActivityDeps } from '../deps';
import { awaitAwsState, waitTiming } from './activity-poll';
import { OPERATION_DURATIONS } from '../../lib/poll-schedule';
import type { PollSettings, WaitResult } from '../../contracts/promotion';

/** Waits until a Route 53 change is INSYNC. */
export async function awaitChangeInsync(
  deps: ActivityDeps,
  input: { readonly changeId: string; readonly account: string; readonly poll: PollSettings; readonly timeoutMs: number },
): Promise<WaitResult> {
  const r53 = deps.aws.route53({ accountId: input.account });
  const r = await awaitAwsState(deps.clock, {
    what: `Route 53 change ${input.changeId} INSYNC`,
    read: () => r53.getChange(input.changeId),
    done: (c) => c.status === 'INSYNC',
    poll: input.poll,
    timeoutMs: input.timeoutMs,
    context: `await change ${input.changeId}`,
    expected: OPERATION_DURATIONS.route53Change,
  });
  return waitTiming(r);
}
