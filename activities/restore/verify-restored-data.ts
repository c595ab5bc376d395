/**
 * `verifyRestoredData`: reads the restored cluster through the canary data plane (rows at or
 * before the restore point must be there, rows after it must not) and runs the runbook's SQL
 * checks (row counts; newest timestamp of a continuously written table not older than the
 * restore point minus the tier RPO). Reads only.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from '../deps';
import { withAwsErrors } from '../aws/errors';
import type { CanaryTarget } from '../canary/canary-store';
import type { CheckResult, VerificationResult } from '../../contracts/drill';
import type { MarkerWrite, RestorePlan } from '../../contracts/restore-verification';
import { withStore } from './canary-session';
import { checkMarkers, judgeSqlCheck } from './restore-checks';
import type { SqlCheckRunner } from './sql-check-runner';

/**
 * Reads the restored cluster through the canary data plane (its own endpoint) and runs every
 * check. Returns the results; a failed check makes `passed` false (the workflow fails loudly).
 */
export async function verifyRestoredData(
  deps: ActivityDeps,
  plan: RestorePlan,
  markers: MarkerWrite,
  restorePoint: number | undefined,
  sqlRunner?: SqlCheckRunner,
): Promise<VerificationResult> {
  const rds = deps.aws.rds(plan.target);
  const cluster = await withAwsErrors(() => rds.describeDbCluster(plan.tempClusterId), `rds.describeDbCluster(${plan.tempClusterId})`);
  const checks: CheckResult[] = [];
  let newestMarkerAt: number | undefined;
  if (!plan.canary) {
    checks.push({ name: 'canary markers', status: 'not-run', detail: 'the runbook has no canary section' });
  } else if (!cluster.endpoint) {
    throw ApplicationFailure.create({
      type: 'RestoredClusterWithoutEndpoint',
      nonRetryable: false,
      message: `restored cluster ${plan.tempClusterId} reports no endpoint yet`,
    });
  } else {
    const target: CanaryTarget = { ...plan.canary, endpoint: cluster.endpoint };
    await withStore(deps, target, async (store) => {
      const present = await store.presentSeqs(plan.markerRunId, 1, plan.markerCount);
      if (markers.unavailableReason) {
        checks.push({ name: 'canary markers', status: 'not-run', detail: markers.unavailableReason });
      } else {
        // A snapshot given as input existed when the plan was made, before the markers were written.
        checks.push(checkMarkers(markers, present, plan.mode === 'snapshot' ? plan.preparedAt : restorePoint));
      }
      const newest = present.length > 0 ? await store.newest(plan.markerRunId) : undefined;
      newestMarkerAt = newest?.at;
      for (const check of plan.checks) {
        const run = sqlRunner ? (sql: string) => sqlRunner.run(target, sql) : store.query?.bind(store);
        if (!run) {
          checks.push({ name: check.name, status: 'not-run', detail: 'no SQL runner for this data plane (no query method)' });
          continue;
        }
        try {
          checks.push(judgeSqlCheck(check, await run(check.sql), restorePoint, plan.targets.rpoMs));
        } catch (err) {
          checks.push({ name: check.name, status: 'fail', detail: `query failed: ${(err as Error).message}` });
        }
      }
    });
  }
  return {
    passed: checks.every((c) => c.status !== 'fail'),
    checks,
    verifiedAt: deps.clock.now(),
    ...(newestMarkerAt !== undefined ? { newestMarkerAt } : {}),
  };
}
