/**
 * An SSM Automation start with a deterministic ClientToken derived from the workflow id and the
 * step, so a retried start returns the same execution instead of a second.
 */
import { withAwsErrors } from '../aws/errors';
import type { ActivityDeps } from '../deps';
import { deterministicUuid } from './activity-context';
import type { MutationResult } from '../../contracts/promotion';

/** Result of a step that may have started an automation to await. */
export interface AutomationStart extends MutationResult {
  readonly automationExecutionId?: string;
  /** Region of the SSM client that runs the automation. */
  readonly region: string;
}

/** Starts an automation with a deterministic ClientToken derived from `tokenKey`. */
export async function startAutomation(
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
