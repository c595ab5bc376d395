/**
 * Deletion of a run's canary rows.
 */
import { deleteCanaryRows } from '../canary/canary-reader';
import type { ActivityDeps } from '../deps';
import { loadRunbookOrFail } from './load-runbook-or-fail';
import { canaryTargetFromRunbook } from './canary-target';
import type { CleanupCanaryInput } from './inputs';

/** Deletes the run's canary rows (idempotent: a retry deletes 0). */
export async function cleanupCanary(deps: ActivityDeps, input: CleanupCanaryInput): Promise<{ deleted: number }> {
  const rb = loadRunbookOrFail(deps, input.runbook);
  const { target } = canaryTargetFromRunbook(rb, input.endpoint);
  if (!target) return { deleted: 0 };
  return { deleted: await deleteCanaryRows(deps.canary, target, input.runId) };
}
