/**
 * A runbook loaded by name, or a non-retryable failure saying why not.
 */
import { ApplicationFailure } from '@temporalio/common';
import { loadRunbookByName } from '../../runbooks/load';
import type { Runbook } from '../../runbooks/schema';
import type { ActivityDeps } from '../deps';

/** Loads runbook `name` from the worker's runbook folder; a bad runbook fails non-retryably. */
export function loadRunbookOrFail(deps: ActivityDeps, name: string): Runbook {
  try {
    return loadRunbookByName(name, deps.runbookDir);
  } catch (err) {
    const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    throw ApplicationFailure.nonRetryable(text, 'RunbookValidationError');
  }
}
