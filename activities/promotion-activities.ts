/**
 * Activities of the region-promotion playbook (issue 5), bound to their dependencies. One AWS
 * mutation per activity, each reading state first; one wait per activity with heartbeats. The
 * functions live in `activities/promotion/`, one small file per concern.
 */
import type { ActivityDeps } from './deps';
import type { TimelineEvent, TimelineEventName } from '../lib/measurement-types';
import { activityHooks } from './promotion/activity-context';
import { preparePromotion, prepareTrafficShift } from './promotion/prepare-promotion';
import { preflightPromotion } from './promotion/preflight-promotion';
import { awaitClusterWritable, promoteSecondaryCluster, type PromoteInput } from './promotion/promote-secondary-cluster';
import { awaitChangeInsync, shiftTraffic, type ShiftTrafficInput } from './promotion/shift-traffic';
import { readTrafficWeights } from './promotion/read-traffic-weights';
import { awaitAutomation, fenceOldPrimary, reconfigureApplication } from './promotion/ssm-actions';
import { awaitCanaryWrites, awaitReProtected, checkHealthAlarms, verifyServiceWrite, watchHealthAlarms } from './promotion/verify-service';
import type { PollSettings, PromotionPlan } from '../contracts/promotion';

type Args<F> = F extends (deps: ActivityDeps, input: infer I) => unknown ? I : never;

/** Creates the promotion activities over `deps`. */
export function createPromotionActivities(deps: ActivityDeps) {
  return {
    /** Validates the (UI) input and the runbook, resolves the plan. No AWS call. */
    preparePromotion: (input: Args<typeof preparePromotion>) => preparePromotion(deps, input),
    /** Reads topology, target health and replication lag; fails naming each failed check. */
    preflightPromotion: (plan: PromotionPlan) => preflightPromotion(deps, plan),
    /** Starts the write-fencing automation on the old primary (skipped without `writeFencing`). */
    fenceOldPrimary: (input: Args<typeof fenceOldPrimary>) => fenceOldPrimary(deps, input),
    /** Waits for an SSM automation execution to succeed. */
    awaitAutomation: (input: Args<typeof awaitAutomation>) => awaitAutomation(deps, input),
    /** The point of no return: switchover / failover / detach, sent at most once. */
    promoteSecondaryCluster: (input: PromoteInput) => promoteSecondaryCluster(deps, input),
    /** Waits until the promoted cluster is the writer and available. */
    awaitClusterWritable: (input: PromoteInput & { poll: PollSettings; timeoutMs: number }) => awaitClusterWritable(deps, input),
    /** Moves traffic (failover records, weights or ARC routing controls), read first. */
    shiftTraffic: (input: ShiftTrafficInput) => shiftTraffic(deps, input),
    /** Reads the current weight of every region's weighted record. */
    readTrafficWeights: (input: Args<typeof readTrafficWeights>) => readTrafficWeights(deps, input),
    /** Waits until a Route 53 change is INSYNC. */
    awaitChangeInsync: (input: Args<typeof awaitChangeInsync>) => awaitChangeInsync(deps, input),
    /** Points the application at the new region (SSM parameter or automation). */
    reconfigureApplication: (input: Args<typeof reconfigureApplication>) => reconfigureApplication(deps, input),
    /** A write through the service endpoint (deleted again). */
    verifyServiceWrite: (input: Args<typeof verifyServiceWrite>) => verifyServiceWrite(deps, input),
    /** The health alarms of a region, optionally waited for until OK. */
    checkHealthAlarms: (input: Args<typeof checkHealthAlarms>) => checkHealthAlarms(deps, input),
    /** Waits until the canary has committed a first row (RPO baseline), or says why not. */
    awaitCanaryWrites: (input: Args<typeof awaitCanaryWrites>) => awaitCanaryWrites(deps, input),
    /** Watches health alarms for a while after a traffic step; returns early when one fires. */
    watchHealthAlarms: (input: Args<typeof watchHealthAlarms>) => watchHealthAlarms(deps, input),
    /** Loads a runbook by name and checks it can drive a weighted traffic shift. No AWS call. */
    prepareTrafficShift: (input: Args<typeof prepareTrafficShift>) => prepareTrafficShift(deps, input),
    /** Waits until a secondary replicates again within RPO (failback). */
    awaitReProtected: (input: Args<typeof awaitReProtected>) => awaitReProtected(deps, input),
    /** A timeline event stamped with the activities' clock (used for human decisions and requests). */
    async stampEvent(input: { name: TimelineEventName; source: string; detail?: string }): Promise<TimelineEvent> {
      activityHooks().heartbeat();
      return {
        name: input.name,
        at: deps.clock.now(),
        // A person's decision is timed on the wall clock too: their time is never scaled.
        wallAt: Date.now(),
        source: input.source,
        ...(input.detail !== undefined ? { detail: input.detail } : {}),
      };
    },
  };
}
