/**
 * One verification row written through the service endpoint (deleted again).
 */
import { pollUntil } from '../aws/poll';
import type { ActivityDeps } from '../deps';
import type { Runbook } from '../../runbooks/schema';
import { activityHooks, regionOfArn } from './activity-context';
import { activityPollOptions } from './activity-poll';
import type { PollSettings, ServiceWriteResult } from '../../contracts/promotion';
import { withCanaryStore } from './canary-store-session';

/**
 * Writes one verification row through the runbook's canary endpoint (the service's writer
 * endpoint), retrying until it commits or `timeoutMs` passes; deletes the row afterwards.
 */
export async function verifyServiceWrite(
  deps: ActivityDeps,
  input: {
    readonly runbook: Runbook;
    readonly runId: string;
    readonly poll: PollSettings;
    readonly timeoutMs: number;
    /** Write here instead of the runbook's canary endpoint (e.g. the promoted cluster after a detach). */
    readonly endpoint?: string;
  },
): Promise<ServiceWriteResult> {
  const hooks = activityHooks();
  const c = input.runbook.canary;
  if (!c)
    return {
      ok: false,
      at: deps.clock.now(),
      endpoint: '(none)',
      detail: 'runbook has no canary section: no service endpoint to write through',
    };
  const target = {
    engine: input.runbook.aurora?.engine ?? 'postgres',
    endpoint: input.endpoint ?? c.endpoint,
    ...(c.port !== undefined ? { port: c.port } : {}),
    database: c.database,
    secretArn: c.secretArn,
    region: regionOfArn(c.secretArn) ?? input.runbook.aurora?.primaryRegion ?? 'us-east-1',
    table: c.table,
  };
  const verifyRunId = `${input.runId}-verify`;
  let lastError = '';
  try {
    const r = await pollUntil<{ at: number } | undefined>({
      what: `write through ${target.endpoint}`,
      read: () =>
        withCanaryStore(
          deps,
          target,
          async (store) => {
            await store.ensureTable();
            const ack = await store.write(verifyRunId, 1, deps.clock.now());
            await store.deleteRun(verifyRunId);
            return { at: ack.at };
          },
          (detail) => (lastError = detail),
        ),
      done: (s) => s !== undefined,
      ...activityPollOptions(deps.clock, hooks, input.poll, input.timeoutMs),
    });
    return {
      ok: true,
      at: r.state!.at,
      endpoint: target.endpoint,
      detail: `write committed after ${r.polls} attempt(s)`,
      attempts: r.polls,
      ...(r.polls > 1 && r.previousReadAt !== undefined ? { previousAttemptAt: r.previousReadAt } : {}),
    };
  } catch (err) {
    if ((err as Error).name !== 'PollTimeoutError') throw err;
    return {
      ok: false,
      at: deps.clock.now(),
      endpoint: target.endpoint,
      detail: `no write committed within ${input.timeoutMs} ms: ${lastError}`,
    };
  }
}
