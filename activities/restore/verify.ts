/**
 * The data side of a restore drill: marker rows written to the source before the restore, then
 * read back from the restored cluster (rows at or before the restore point must be there, rows
 * after it must not), and the runbook's SQL checks (row counts; newest timestamp of a
 * continuously written table not older than the restore point minus the tier RPO).
 */
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from '../deps';
import { withAwsErrors } from '../aws/errors';
import type { CanaryStore, CanaryTarget } from '../canary/canary-store';
import type { CanaryAck } from '../../lib/measurement-types';
import type { SqlCheckRunner } from './sql-check-runner';
import type { CheckResult, MarkerWrite, RestorePlan, RestoreSqlCheck, VerificationResult } from './types';

async function withStore<T>(deps: ActivityDeps, target: CanaryTarget, fn: (s: CanaryStore) => Promise<T>): Promise<T> {
  const store = await deps.canary.connect(target);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/**
 * Writes the marker rows (seq 1..markerCount of `markerRunId`) to the source cluster. Idempotent:
 * rows already present are not written again (their ack time is bounded by the newest row's).
 */
export async function writeRestoreMarkers(deps: ActivityDeps, plan: RestorePlan): Promise<MarkerWrite> {
  if (!plan.canary) return { acked: [], writtenAt: deps.clock.now(), unavailableReason: 'the runbook has no canary section' };
  return withStore(deps, plan.canary, async (store) => {
    await store.ensureTable();
    const present = new Set(await store.presentSeqs(plan.markerRunId, 1, plan.markerCount));
    const newest = present.size > 0 ? await store.newest(plan.markerRunId) : undefined;
    const acked: CanaryAck[] = [];
    for (let seq = 1; seq <= plan.markerCount; seq++) {
      if (present.has(seq)) acked.push({ seq, at: newest?.at ?? deps.clock.now() });
      else acked.push(await store.write(plan.markerRunId, seq, deps.clock.now()));
    }
    return { acked, writtenAt: deps.clock.now() };
  });
}

/** Removes the marker rows from the source (cleanup; idempotent). */
export async function deleteRestoreMarkers(deps: ActivityDeps, plan: RestorePlan): Promise<number> {
  if (!plan.canary) return 0;
  return withStore(deps, plan.canary, (store) => store.deleteRun(plan.markerRunId));
}

/** Pure: expected presence of each marker for a restore point. */
export function checkMarkers(markers: MarkerWrite, present: readonly number[], restorePoint: number | undefined): CheckResult {
  const found = new Set(present);
  if (restorePoint === undefined) {
    return {
      name: 'canary markers',
      status: 'not-run',
      detail: 'the restore point is unknown (snapshot restore without a snapshot time), so the expected rows are unknown',
    };
  }
  const mustHave = markers.acked.filter((a) => a.at <= restorePoint).map((a) => a.seq);
  const mustNotHave = markers.acked.filter((a) => a.at > restorePoint).map((a) => a.seq);
  const missing = mustHave.filter((s) => !found.has(s));
  const unexpected = mustNotHave.filter((s) => found.has(s));
  if (missing.length === 0 && unexpected.length === 0) {
    return {
      name: 'canary markers',
      status: 'pass',
      detail: `${mustHave.length} marker row(s) written before the restore point present, ${mustNotHave.length} written after it absent`,
    };
  }
  const parts = [
    ...(missing.length > 0 ? [`missing marker row(s) seq ${missing.join(', ')} written before the restore point`] : []),
    ...(unexpected.length > 0 ? [`marker row(s) seq ${unexpected.join(', ')} written after the restore point are present`] : []),
  ];
  return { name: 'canary markers', status: 'fail', detail: parts.join('; ') };
}

/** Pure: judges one SQL check's value. */
export function judgeSqlCheck(check: RestoreSqlCheck, value: number, restorePoint: number | undefined, rpoMs: number): CheckResult {
  if (check.kind === 'newest-timestamp') {
    if (restorePoint === undefined)
      return { name: check.name, status: 'not-run', detail: 'restore point unknown, so the freshness bound is unknown' };
    const ms = value < 1e11 ? value * 1000 : value;
    const bound = restorePoint - rpoMs;
    return ms >= bound
      ? {
          name: check.name,
          status: 'pass',
          detail: `newest ${new Date(ms).toISOString()} ≥ restore point − RPO ${new Date(bound).toISOString()}`,
        }
      : {
          name: check.name,
          status: 'fail',
          detail: `newest ${new Date(ms).toISOString()} is older than restore point − RPO ${new Date(bound).toISOString()}`,
        };
  }
  const min = check.min ?? 1;
  return value >= min
    ? { name: check.name, status: 'pass', detail: `${value} ≥ ${min}` }
    : { name: check.name, status: 'fail', detail: `${value} < ${min}` };
}

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
