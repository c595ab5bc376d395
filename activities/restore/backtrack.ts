/**
 * The Backtrack drill's activities: a marker row, then the time T, then a "corruption" sentinel;
 * Backtrack to T (one mutation, read-before-write on the cluster's backtrack list); wait until the
 * backtrack completes; check the sentinel is gone and the marker is there; remove the rows.
 */
import type { ActivityDeps } from '../deps';
import type { DbCluster, DbClusterBacktrack } from '../aws/ports';
import { withAwsErrors } from '../aws/errors';
import type { CanaryStore } from '../canary/canary-store';
import type { CanaryAck } from '../../lib/measurement-types';
import { observed, pollInActivity } from './aws-helpers';
import type { BacktrackPlan, BacktrackPoint, BacktrackStarted, CheckResult, Observed, VerificationResult } from './types';

/** Seq of the marker row (must survive the backtrack). */
export const MARKER_SEQ = 1;
/** Seq of the sentinel row (the "corruption" the backtrack must remove). */
export const SENTINEL_SEQ = 2;

async function withStore<T>(deps: ActivityDeps, plan: BacktrackPlan, fn: (s: CanaryStore) => Promise<T>): Promise<T> {
  const store = await deps.canary.connect(plan.canary);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Writes the marker row (idempotent) and returns T: the clock time after its ack. */
export async function writeBacktrackMarker(deps: ActivityDeps, plan: BacktrackPlan): Promise<BacktrackPoint> {
  return withStore(deps, plan, async (store) => {
    await store.ensureTable();
    const present = await store.presentSeqs(plan.markerRunId, MARKER_SEQ, MARKER_SEQ);
    const marker: CanaryAck =
      present.length > 0
        ? ((await store.newest(plan.markerRunId)) ?? { seq: MARKER_SEQ, at: deps.clock.now() })
        : await store.write(plan.markerRunId, MARKER_SEQ, deps.clock.now());
    const backtrackTo = Math.max(deps.clock.now(), marker.at + 1);
    return { marker: { seq: MARKER_SEQ, at: marker.at }, backtrackTo };
  });
}

/** Writes the sentinel row strictly after T (idempotent). */
export async function writeCorruptionSentinel(deps: ActivityDeps, plan: BacktrackPlan, point: BacktrackPoint): Promise<CanaryAck> {
  while (deps.clock.now() <= point.backtrackTo) await deps.clock.sleep(1);
  return withStore(deps, plan, async (store) => {
    const present = await store.presentSeqs(plan.markerRunId, SENTINEL_SEQ, SENTINEL_SEQ);
    if (present.length > 0) return (await store.newest(plan.markerRunId)) ?? { seq: SENTINEL_SEQ, at: deps.clock.now() };
    return store.write(plan.markerRunId, SENTINEL_SEQ, deps.clock.now());
  });
}

function sameTarget(b: DbClusterBacktrack, to: number): boolean {
  // Aurora may move BacktrackTo to the nearest consistent time: accept a request within 60 s of T.
  return Math.abs(b.backtrackTo - to) <= 60_000 && b.status !== 'failed';
}

/** BacktrackDBCluster to T; a retry that finds a backtrack to T already requested reuses it. */
export async function startBacktrack(deps: ActivityDeps, plan: BacktrackPlan, point: BacktrackPoint): Promise<BacktrackStarted> {
  const rds = deps.aws.rds(plan.target);
  const existing = await withAwsErrors(
    () => rds.describeDbClusterBacktracks({ dbClusterIdentifier: plan.clusterId }),
    `rds.describeDbClusterBacktracks(${plan.clusterId})`,
  );
  const mine = existing.find((b) => sameTarget(b, point.backtrackTo) && (b.backtrackRequestCreationTime ?? Infinity) >= point.backtrackTo);
  if (mine) {
    return {
      backtrackIdentifier: mine.backtrackIdentifier,
      startedAt: mine.backtrackRequestCreationTime ?? deps.clock.now(),
      backtrackTo: mine.backtrackTo,
      alreadyExisted: true,
    };
  }
  const startedAt = deps.clock.now();
  const b = await withAwsErrors(
    () => rds.backtrackDbCluster({ dbClusterIdentifier: plan.clusterId, backtrackTo: point.backtrackTo }),
    `rds.backtrackDbCluster(${plan.clusterId})`,
  );
  return {
    backtrackIdentifier: b.backtrackIdentifier,
    startedAt: b.backtrackRequestCreationTime ?? startedAt,
    backtrackTo: b.backtrackTo,
    alreadyExisted: false,
  };
}

/** Waits until the backtrack is `completed` and the cluster is `available` again. */
export async function awaitBacktrackComplete(deps: ActivityDeps, plan: BacktrackPlan, started: BacktrackStarted): Promise<Observed> {
  const rds = deps.aws.rds(plan.target);
  const r = await withAwsErrors(
    () =>
      pollInActivity<{ backtrack?: DbClusterBacktrack; cluster: DbCluster }>(deps, {
        read: async () => {
          const list = await rds.describeDbClusterBacktracks({
            dbClusterIdentifier: plan.clusterId,
            backtrackIdentifier: started.backtrackIdentifier,
          });
          const cluster = await rds.describeDbCluster(plan.clusterId);
          return { backtrack: list.find((b) => b.backtrackIdentifier === started.backtrackIdentifier), cluster };
        },
        done: (s) => s.backtrack?.status === 'completed' && s.cluster.status === 'available',
        failed: (s) => (s.backtrack?.status === 'failed' ? `backtrack ${started.backtrackIdentifier} failed` : undefined),
        intervalMs: 1000,
        fastIntervalMs: 1000,
        timeoutMs: plan.waitTimeoutMs,
        what: `backtrack of ${plan.clusterId} completed`,
      }),
    `await backtrack ${started.backtrackIdentifier}`,
  );
  return observed(r);
}

/** Checks that the sentinel is gone and the marker is present after the backtrack. */
export async function verifyBacktrack(deps: ActivityDeps, plan: BacktrackPlan): Promise<VerificationResult> {
  return withStore(deps, plan, async (store) => {
    const present = new Set(await store.presentSeqs(plan.markerRunId, MARKER_SEQ, SENTINEL_SEQ));
    const checks: CheckResult[] = [
      present.has(MARKER_SEQ)
        ? { name: 'marker row present', status: 'pass', detail: 'the row written before T survived the backtrack' }
        : { name: 'marker row present', status: 'fail', detail: 'the row written before T is missing after the backtrack' },
      present.has(SENTINEL_SEQ)
        ? {
            name: 'corruption sentinel gone',
            status: 'fail',
            detail: 'the sentinel written after T is still present: the backtrack did not rewind it',
          }
        : { name: 'corruption sentinel gone', status: 'pass', detail: 'the sentinel written after T was rewound' },
    ];
    return { passed: checks.every((c) => c.status !== 'fail'), checks, verifiedAt: deps.clock.now() };
  });
}

/** Removes the drill's marker rows (cleanup; idempotent). */
export async function deleteBacktrackRows(deps: ActivityDeps, plan: BacktrackPlan): Promise<number> {
  return withStore(deps, plan, (store) => store.deleteRun(plan.markerRunId));
}
