/**
 * Write fencing of the old primary (an SSM Automation named by `runbook.writeFencing`).
 */
import type { ActivityDeps } from '../deps';
import type { Runbook } from '../../runbooks/schema';
import { activityHooks } from './activity-context';
import { startAutomation, type AutomationStart } from './start-automation';

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
