/**
 * The RPO canary of a promotion: started after the approval, its first committed write awaited
 * (the RPO baseline, bounded: a lost region must not hold the promotion), stopped and read on the
 * new writer at the end, its rows deleted on every endpoint. Its undo stops it and deletes the
 * rows on any other ending. Deterministic.
 */
import { CancellationScope } from '@temporalio/workflow';
import type { CanaryMeasurementInput } from '../../lib/timeline';
import { startCanary, type CanaryHandle } from '../canary';
import { failureMessage, type Run } from '../kit';
import type { PromotionRun } from './promotion-run';
import type { PromotionProxies } from './proxies';

/** Name of the canary's undo. */
export const CANARY_UNDO = 'stop the canary and delete its rows';

const WARMUP_MS = 2 * 60_000;

/** Starts the canary and waits for its first committed write; `undefined` when the runbook has none. */
export async function startPromotionCanary(run: Run, s: PromotionRun, acts: PromotionProxies): Promise<CanaryHandle | undefined> {
  const p = s.plan!;
  const c = p.runbook.canary;
  if (!c) {
    run.skip('canary', 'the runbook has no canary section: RPO will not be measured');
    s.canary = { notMeasured: 'the runbook has no canary section' };
    return undefined;
  }
  const runId = s.canaryRunId;
  // Its own non-cancellable parent: only the playbook (or its undo) stops the canary, never a
  // cancellation that arrives after the point of no return.
  const handle = await CancellationScope.nonCancellable(async () =>
    startCanary({ runbook: p.runbookName, runId, maxDurationMs: 4 * 3_600_000 }),
  );
  run.undo(CANARY_UNDO, () => stopPromotionCanary(s, acts, handle, undefined));
  const first = await run.step(
    'canary',
    () => acts.observe.awaitCanaryWrites({ runbook: p.runbook, runId, poll: p.poll, timeoutMs: WARMUP_MS }),
    {
      at: (f) => f.at,
      summary: (f) => (f.ok ? `writing ${c.ratePerSecond}/s to ${c.endpoint} (run ${runId})` : f.detail),
    },
  );
  if (!first.ok) {
    s.noBaseline = `the canary committed no write before the promotion (${first.detail}), so the data lost at the promotion cannot be measured`;
    s.notes.push(`canary: ${first.detail} before the promotion; RPO not measured`);
  }
  return handle;
}

/** Stops the canary, reads it on `readEndpoint` (the new writer) when given, deletes its rows everywhere. */
export async function stopPromotionCanary(
  s: PromotionRun,
  acts: PromotionProxies,
  handle: CanaryHandle,
  readEndpoint: string | undefined,
): Promise<CanaryMeasurementInput> {
  const p = s.plan!;
  const runId = s.canaryRunId;
  const writer = await handle.stop();
  const reader = readEndpoint ? await acts.canary.readCanary({ runbook: p.runbookName, runId, endpoint: readEndpoint }) : undefined;
  const endpoints = [...new Set([readEndpoint, p.runbook.canary?.endpoint].filter((e): e is string => e !== undefined))];
  for (const endpoint of endpoints) {
    try {
      // The last call also cleans every member (the old primary keeps the rows it took).
      const everyMember = endpoint === endpoints[endpoints.length - 1];
      const { deleted, members } = await acts.cleanup.cleanupCanary({ runbook: p.runbookName, runId, endpoint, everyMember });
      s.notes.push(`canary: ${deleted} row(s) of ${runId} deleted on ${endpoint}`);
      for (const m of members ?? []) {
        s.notes.push(
          m.error === undefined
            ? `canary: ${m.deleted} row(s) of ${runId} deleted on member ${m.clusterId}`
            : `canary: rows of ${runId} on member ${m.clusterId} not deleted (${m.error}); delete them by run id`,
        );
      }
    } catch (err) {
      // The old primary may sit in the lost region: say so instead of failing the run.
      s.notes.push(`canary: rows of ${runId} on ${endpoint} not deleted (${failureMessage(err)}); delete them by run id`);
    }
  }
  s.canary =
    s.noBaseline !== undefined
      ? { notMeasured: s.noBaseline }
      : reader
        ? { writer, reader }
        : { notMeasured: 'no promoted writer to read the canary from' };
  return s.canary;
}
