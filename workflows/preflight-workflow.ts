/**
 * preflightWorkflow: is this service ready for a game day? Loads and validates the runbook (the
 * Temporal UI bypasses the CLI), checks the blast radius, then reads the steady state of every
 * resource through read-only activities, and returns a `PreflightReport`. Start it from the UI
 * with workflow type `preflightWorkflow`, task queue `gameday`, input `{"runbook":"payments-prod"}`.
 */
import { proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { PreflightCheck, RunbookRef } from '../activities/preflight-activities';
import { SEARCH_KEYS } from '../lib/search-attributes';
import type { RecoveryTargets, Tier } from '../lib/tiers';
import { statusQuery, type RunStatus } from './messages';

export type { PreflightCheck, RunbookRef } from '../activities/preflight-activities';

/** The answer of a preflight: every check with what was expected and found, and the verdict. */
export interface PreflightReport {
  /** Runbook name, e.g. `payments-prod`. */
  readonly runbook: string;
  readonly service: string;
  readonly environment: string;
  readonly tier: Tier;
  /** The tier targets with the runbook's overrides applied, ms. */
  readonly targets: RecoveryTargets;
  readonly checks: readonly PreflightCheck[];
  /** True when every check passed. */
  readonly ready: boolean;
}

/** Read-only activities; bad input is not retried, transient AWS errors are. */
const observe = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 10,
    nonRetryableErrorTypes: ['InvalidRunbook'],
  },
});

/** Runs the preflight of one runbook. A bare string input is taken as the runbook name. */
export async function preflightWorkflow(input: RunbookRef | string): Promise<PreflightReport> {
  let status: RunStatus = { workflow: 'preflightWorkflow', phase: 'loading-runbook' };
  setHandler(statusQuery, () => status);

  const { name, runbook, targets } = await observe.loadRunbook(input);
  upsertSearchAttributes([
    { key: SEARCH_KEYS.service, value: runbook.service },
    { key: SEARCH_KEYS.scenario, value: 'preflight' },
    { key: SEARCH_KEYS.tier, value: runbook.tier },
  ]);

  const checks: PreflightCheck[] = [];
  status = { workflow: 'preflightWorkflow', runbook: name, phase: 'checking-blast-radius' };
  checks.push(...(await observe.checkBlastRadius(runbook)));

  // Steady-state reads only once the runbook is known to stay within its blast radius.
  if (checks.every((c) => c.ok)) {
    status = { workflow: 'preflightWorkflow', runbook: name, phase: 'checking-steady-state', data: { checksSoFar: checks.length } };
    const groups = await Promise.all([
      observe.checkAuroraTopology(runbook),
      observe.checkReplicationLag({ runbook, rpoMs: targets.rpoMs }),
      observe.checkTrafficRouting(runbook),
      observe.checkAlarms(runbook),
      observe.checkCacheGroups(runbook),
      observe.checkAppConfiguration(runbook),
    ]);
    for (const g of groups) checks.push(...g);
  }

  const ready = checks.every((c) => c.ok);
  const failed = checks.filter((c) => !c.ok).length;
  status = {
    workflow: 'preflightWorkflow',
    runbook: name,
    phase: 'done',
    detail: ready ? `ready: ${checks.length} checks passed` : `not ready: ${failed} of ${checks.length} checks failed`,
    data: { ready, failed, total: checks.length },
  };
  upsertSearchAttributes([{ key: SEARCH_KEYS.verdict, value: ready ? 'pass' : 'fail' }]);
  return { runbook: name, service: runbook.service, environment: runbook.environment, tier: runbook.tier, targets, checks, ready };
}
