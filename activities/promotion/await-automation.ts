/**
 * The wait for an SSM automation execution to end.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { AutomationExecution } from '../aws/ports';
import type { ActivityDeps } from '../deps';
import { awaitAwsState, waitTiming } from './activity-poll';
import { OPERATION_DURATIONS } from '../../lib/poll-schedule';
import type { PollSettings, WaitResult } from '../../contracts/promotion';

/** Failure type of an automation that ended in a failed state (non-retryable). */
export const AUTOMATION_FAILED = 'AutomationFailed';

const TERMINAL_FAILED = new Set([
  'Failed',
  'TimedOut',
  'Cancelled',
  'Rejected',
  'ChangeCalendarOverrideRejected',
  'CompletedWithFailure',
  'Exited',
]);
const TERMINAL_OK = new Set(['Success', 'CompletedWithSuccess']);

/**
 * Waits until an automation execution ends; a failed end is a non-retryable `AutomationFailed`.
 * `aws` is SSM's own time of the end (`ExecutionEndTime`) when answered: the wait's reads only
 * bound it.
 */
export async function awaitAutomation(
  deps: ActivityDeps,
  input: {
    readonly automationExecutionId: string;
    readonly region: string;
    readonly account: string;
    readonly poll: PollSettings;
    readonly timeoutMs: number;
  },
): Promise<WaitResult> {
  const ssm = deps.aws.ssm({ region: input.region, accountId: input.account });
  const r = await awaitAwsState<AutomationExecution>(deps.clock, {
    what: `automation ${input.automationExecutionId}`,
    read: () => ssm.getAutomationExecution(input.automationExecutionId),
    done: (e) => TERMINAL_OK.has(e.status),
    failed: (e) =>
      TERMINAL_FAILED.has(e.status) ? `${e.documentName} ended ${e.status}${e.failureMessage ? `: ${e.failureMessage}` : ''}` : undefined,
    poll: input.poll,
    timeoutMs: input.timeoutMs,
    context: `await automation ${input.automationExecutionId}`,
    expected: OPERATION_DURATIONS.ssmAutomation,
  }).catch((err: unknown) => {
    if (err instanceof ApplicationFailure && err.type === 'PollFailedError') {
      throw ApplicationFailure.create({ type: AUTOMATION_FAILED, message: err.message, nonRetryable: true });
    }
    throw err;
  });
  const end = r.state.endTime;
  const aws = end !== undefined ? { aws: { at: end, detail: `SSM ExecutionEndTime of ${input.automationExecutionId}` } } : {};
  return { ...waitTiming(r), detail: r.state.status, ...aws };
}
