/**
 * SSM steps of a promotion: write fencing of the old primary (an SSM Automation named by
 * `runbook.writeFencing`), application reconfiguration (an SSM parameter or an SSM Automation)
 * and the wait for an automation execution. Starts use a deterministic ClientToken derived from
 * the workflow id and the step, so a retried start returns the same execution instead of a second.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { AutomationExecution } from '../aws/ports';
import { withAwsErrors } from '../aws/errors';
import type { ActivityDeps } from '../deps';
import type { Runbook } from '../../runbooks/schema';
import { activityHooks, deterministicUuid } from './activity-context';
import { awaitAwsState, waitTiming } from './activity-poll';
import type { MutationResult, PollSettings, WaitResult } from '../../contracts/promotion';

/** Result of a step that may have started an automation to await. */
export interface AutomationStart extends MutationResult {
  readonly automationExecutionId?: string;
  /** Region of the SSM client that runs the automation. */
  readonly region: string;
}

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

function render(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, k: string) => vars[k] ?? m);
}

async function startAutomation(
  deps: ActivityDeps,
  input: {
    region: string;
    account: string;
    documentName: string;
    parameters: Readonly<Record<string, readonly string[]>>;
    tokenKey: string;
  },
): Promise<AutomationStart> {
  const ssm = deps.aws.ssm({ region: input.region, accountId: input.account });
  const at = deps.clock.now();
  const r = await withAwsErrors(
    () =>
      ssm.startAutomationExecution({
        documentName: input.documentName,
        parameters: input.parameters,
        clientToken: deterministicUuid(input.tokenKey),
      }),
    `ssm.startAutomationExecution(${input.documentName})`,
  );
  return {
    effect: 'called',
    at,
    automationExecutionId: r.automationExecutionId,
    region: input.region,
    detail: `${input.documentName} started`,
  };
}

/**
 * Fences writes on the old primary with the runbook's fencing automation (parameters
 * `ClusterId`, `Region`); `skipped` when the runbook has no `writeFencing`.
 */
export async function fenceOldPrimary(
  deps: ActivityDeps,
  input: {
    readonly runbook: Runbook;
    readonly workflowId: string;
    readonly source: { readonly region: string; readonly clusterId: string };
    readonly reachableRegion: string;
  },
): Promise<AutomationStart | { readonly effect: 'skipped'; readonly at: number; readonly detail: string }> {
  activityHooks().heartbeat({ step: 'fence' });
  const doc = input.runbook.writeFencing?.documentName;
  if (!doc) return { effect: 'skipped', at: deps.clock.now(), detail: 'runbook has no writeFencing' };
  return startAutomation(deps, {
    // Run the automation from a region that is reachable (the target's during a region loss).
    region: input.reachableRegion,
    account: input.runbook.account,
    documentName: doc,
    parameters: { ClusterId: [input.source.clusterId], Region: [input.source.region] },
    tokenKey: `${input.workflowId}/fence/${input.source.clusterId}`,
  });
}

/**
 * Points the application at the new region: an SSM parameter (read first; written only when it
 * differs) or an SSM Automation (parameters get `{{region}}`, `{{clusterId}}` rendered).
 */
export async function reconfigureApplication(
  deps: ActivityDeps,
  input: {
    readonly runbook: Runbook;
    readonly workflowId: string;
    readonly region: string;
    readonly clusterId: string;
    readonly step?: string;
  },
): Promise<AutomationStart | { readonly effect: 'skipped' | 'already-done' | 'called'; readonly at: number; readonly detail: string }> {
  activityHooks().heartbeat({ step: 'app' });
  const cfg = input.runbook.appReconfiguration;
  if (!cfg) return { effect: 'skipped', at: deps.clock.now(), detail: 'runbook has no appReconfiguration' };
  const vars = { region: input.region, clusterId: input.clusterId, service: input.runbook.service, environment: input.runbook.environment };
  if (cfg.kind === 'ssm-parameter') {
    const ssm = deps.aws.ssm({ region: input.region, accountId: input.runbook.account });
    const value = render(cfg.valueTemplate, vars);
    const current = await withAwsErrors(() => ssm.getParameter(cfg.name), `ssm.getParameter(${cfg.name})`);
    if (current?.value === value) return { effect: 'already-done', at: deps.clock.now(), detail: `${cfg.name} already ${value}` };
    const at = deps.clock.now();
    await withAwsErrors(() => ssm.putParameter({ name: cfg.name, value, overwrite: true }), `ssm.putParameter(${cfg.name})`);
    return { effect: 'called', at, detail: `${cfg.name} = ${value} (was ${current?.value ?? 'unset'})` };
  }
  const parameters = Object.fromEntries(Object.entries(cfg.parameters).map(([k, vs]) => [k, vs.map((v) => render(v, vars))]));
  return startAutomation(deps, {
    region: input.region,
    account: input.runbook.account,
    documentName: cfg.documentName,
    parameters,
    tokenKey: `${input.workflowId}/${input.step ?? 'app'}/${input.region}`,
  });
}

/** Waits until an automation execution ends; a failed end is a non-retryable `AutomationFailed`. */
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
  }).catch((err: unknown) => {
    if (err instanceof ApplicationFailure && err.type === 'PollFailedError') {
      throw ApplicationFailure.create({ type: AUTOMATION_FAILED, message: err.message, nonRetryable: true });
    }
    throw err;
  });
  return { ...waitTiming(r), detail: r.state.status };
}
