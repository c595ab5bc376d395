/** `verifyBacktrack`: the sentinel must be gone and the marker present after the backtrack. Reads only. */
import type { ActivityDeps } from '../deps';
import type { CheckResult, VerificationResult } from '../../contracts/drill';
import type { BacktrackPlan } from '../../contracts/backtrack-drill';
import { withStore } from '../restore/canary-session';
import { MARKER_SEQ, SENTINEL_SEQ } from './drill-rows';

/** Checks that the sentinel is gone and the marker is present after the backtrack. */
export async function verifyBacktrack(deps: ActivityDeps, plan: BacktrackPlan): Promise<VerificationResult> {
  return withStore(deps, plan.canary, async (store) => {
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
