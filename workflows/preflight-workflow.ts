/**
 * `preflightWorkflow`: is this service ready for a game day? Loads and validates the runbook (the
 * Temporal UI bypasses the CLI), checks the blast radius, then reads the steady state of every
 * resource through read-only activities, and returns a `PreflightReport`. Start it from the UI
 * with workflow type `preflightWorkflow`, task queue `gameday`, input `{"runbook":"payments-prod"}`.
 */
import { ApplicationFailure, proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { PreflightActivities } from '../activities';
import type { PreflightCheck, PreflightReport, RunbookRef } from '../contracts/preflight';
import { SEARCH_KEYS } from '../lib/search-attributes';
import { awsCallsFields } from '../lib/aws-call-count';
import { awsCallTally, Run } from './kit';

export type { PreflightCheck, PreflightReport, RunbookRef } from '../contracts/preflight';

/** Read-only activities; bad input is not retried, transient AWS errors are. */
const observe = proxyActivities<PreflightActivities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 10,
    nonRetryableErrorTypes: ['InvalidRunbook'],
  },
});

const summary = (checks: readonly PreflightCheck[]): string => {
  const failed = checks.filter((c) => !c.ok).length;
  return failed === 0 ? `${checks.length} checks passed` : `${failed} of ${checks.length} checks failed`;
};

/** Runs the preflight of one runbook. A bare string input is taken as the runbook name. */
export async function preflightWorkflow(input: RunbookRef | string): Promise<PreflightReport> {
  const run = new Run(
    'preflightWorkflow',
    ['load-runbook', 'blast-radius', 'steady-state'],
    typeof input === 'string' ? input : input?.runbook,
  );
  let soFar: PreflightReport | undefined; // the report so far, once the runbook is loaded
  run.reportWhileRunning(() => soFar && { ...soFar, checks: [...soFar.checks], outcome: 'running' });
  const steps = async (): Promise<PreflightReport> => {
    const { name, runbook, targets } = await run.step('load-runbook', () => observe.loadRunbook(input), {
      summary: (r) => `${r.name}: ${r.runbook.service}/${r.runbook.environment}, ${r.runbook.tier}`,
    });
    run.runbook = name;
    upsertSearchAttributes([
      { key: SEARCH_KEYS.service, value: runbook.service },
      { key: SEARCH_KEYS.scenario, value: 'preflight' },
      { key: SEARCH_KEYS.tier, value: runbook.tier },
    ]);
    const checks: PreflightCheck[] = [];
    const { service, environment, tier } = runbook;
    soFar = { runbook: name, service, environment, tier, targets, checks, ready: false };
    checks.push(...(await run.step('blast-radius', () => observe.checkBlastRadius(runbook), { summary })));
    // Steady-state reads only once the runbook is known to stay within its blast radius.
    if (checks.every((c) => c.ok)) {
      const groups = await run.step(
        'steady-state',
        () =>
          Promise.all([
            observe.checkAuroraTopology(runbook),
            observe.checkReplicationLag({ runbook, rpoMs: targets.rpoMs }),
            observe.checkTrafficRouting(runbook),
            observe.checkAlarms(runbook),
            observe.checkCacheGroups(runbook),
            observe.checkAppConfiguration(runbook),
          ]),
        { summary: (g) => summary(g.flat()) },
      );
      checks.push(...groups.flat());
    } else run.skip('steady-state', 'the runbook reaches outside its blast radius: no steady-state read');
    const ready = checks.every((c) => c.ok);
    run.show({ ready, failed: checks.filter((c) => !c.ok).length, total: checks.length });
    return { ...soFar, checks, ready };
  };
  const report = await run.execute({
    steps,
    finish: async (end) => {
      upsertSearchAttributes([
        {
          key: SEARCH_KEYS.verdict,
          value: end.kind === 'completed' ? (end.value.ready ? 'pass' : 'fail') : end.kind === 'failed' ? 'error' : 'aborted',
        },
      ]);
      // A preflight has nothing to clean up: an aborted one ends as a failure saying so.
      if (end.kind === 'aborted') throw ApplicationFailure.create({ type: 'PreflightAborted', message: end.reason, nonRetryable: true });
      if (end.kind !== 'completed') return undefined; // failed / cancelled: the kit fails the run
      const counted = awsCallsFields(awsCallTally());
      return counted.awsCalls !== undefined ? { ...end.value, resolution: counted } : end.value;
    },
    failureType: 'PreflightFailed',
  });
  return report!; // returned only for a completed run
}
