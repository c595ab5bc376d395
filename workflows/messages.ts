/**
 * Legacy location of the messages, for the playbooks not yet on the run kit: new code imports
 * `contracts/run.ts` (every playbook) and `contracts/<playbook>.ts`. Removed once every playbook
 * answers the kit's `RunStatus`.
 */
import { defineQuery } from '@temporalio/workflow';

export { abortSignal, reportQuery, requestAbortUpdate, type AbortAnswer, type AbortRequest } from '../contracts/run';
export {
  approvePromotionUpdate,
  rejectPromotionUpdate,
  type PromotionDecisionRequest,
  type PromotionDecisionResult,
} from '../contracts/promotion';

/** The status shape of a playbook not yet on the run kit. */
export interface RunStatus {
  readonly workflow: string;
  readonly runbook?: string;
  readonly phase: string;
  readonly detail?: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

/** The `status` query as the playbooks not yet on the run kit answer it. */
export const statusQuery = defineQuery<RunStatus>('status');
