/**
 * The steps of `regionPromotionWorkflow` and `trafficShiftWorkflow`, bound to their dependencies:
 * each name is a function in the file of the same name (`shiftTraffic` in `shift-traffic.ts`), one
 * AWS mutation or one wait each, every mutation reading state first.
 */
import type { ActivityDeps } from '../deps';
import { awaitAutomation } from './await-automation';
import { awaitCanaryWrites } from './await-canary-writes';
import { awaitChangeInsync } from './await-change-insync';
import { awaitClusterWritable } from './await-cluster-writable';
import { awaitReProtected } from './await-re-protected';
import { checkHealthAlarms } from './check-health-alarms';
import { fenceOldPrimary } from './fence-old-primary';
import { preflightPromotion } from './preflight-promotion';
import { preparePromotion } from './prepare-promotion';
import { prepareTrafficShift } from './prepare-traffic-shift';
import { promoteSecondaryCluster } from './promote-secondary-cluster';
import { readTrafficWeights } from './read-traffic-weights';
import { reconfigureApplication } from './reconfigure-application';
import { shiftTraffic } from './shift-traffic';
import { stampEvent } from './stamp-event';
import { verifyServiceWrite } from './verify-service-write';
import { watchHealthAlarms } from './watch-health-alarms';
import { withRetriedAttempt } from './retried-attempt';

type Args<F> = F extends (deps: ActivityDeps, input: infer I) => unknown ? I : never;

/**
 * Binds the promotion and traffic-shift activities to `deps`. The steps that stamp a timeline event
 * mark a retried attempt's result (`withRetriedAttempt`), so the report can name a worker gap.
 */
export function createPromotionActivities(deps: ActivityDeps) {
  const marked = <I, R>(fn: (input: I) => Promise<R>) => withRetriedAttempt(deps.clock, fn);
  return {
    /** Validates the (UI) input and the runbook, resolves the plan. No AWS call. */
    preparePromotion: (input: Args<typeof preparePromotion>) => preparePromotion(deps, input),
    /** Reads topology, target health and replication lag; fails naming each failed check. */
    preflightPromotion: (input: Args<typeof preflightPromotion>) => preflightPromotion(deps, input),
    /** Starts the write-fencing automation on the old primary (skipped without `writeFencing`). */
    fenceOldPrimary: marked((input: Args<typeof fenceOldPrimary>) => fenceOldPrimary(deps, input)),
    /** Waits for an SSM automation execution to succeed. */
    awaitAutomation: marked((input: Args<typeof awaitAutomation>) => awaitAutomation(deps, input)),
    /** The point of no return: switchover / failover / detach, sent at most once. */
    promoteSecondaryCluster: marked((input: Args<typeof promoteSecondaryCluster>) => promoteSecondaryCluster(deps, input)),
    /** Waits until the promoted cluster is the writer and available. */
    awaitClusterWritable: marked((input: Args<typeof awaitClusterWritable>) => awaitClusterWritable(deps, input)),
    /** Moves traffic (failover records, weights or ARC routing controls), read first. */
    shiftTraffic: marked((input: Args<typeof shiftTraffic>) => shiftTraffic(deps, input)),
    /** Reads the current weight of every region's weighted record. */
    readTrafficWeights: (input: Args<typeof readTrafficWeights>) => readTrafficWeights(deps, input),
    /** Waits until a Route 53 change is INSYNC. */
    awaitChangeInsync: marked((input: Args<typeof awaitChangeInsync>) => awaitChangeInsync(deps, input)),
    /** Points the application at the new region (SSM parameter or automation). */
    reconfigureApplication: marked((input: Args<typeof reconfigureApplication>) => reconfigureApplication(deps, input)),
    /** A write through the service endpoint (deleted again). */
    verifyServiceWrite: marked((input: Args<typeof verifyServiceWrite>) => verifyServiceWrite(deps, input)),
    /** The health alarms of a region, optionally waited for until OK. */
    checkHealthAlarms: marked((input: Args<typeof checkHealthAlarms>) => checkHealthAlarms(deps, input)),
    /** Waits until the canary has committed a first row (RPO baseline), or says why not. */
    awaitCanaryWrites: (input: Args<typeof awaitCanaryWrites>) => awaitCanaryWrites(deps, input),
    /** Watches health alarms for a while after a traffic step; returns early when one fires. */
    watchHealthAlarms: (input: Args<typeof watchHealthAlarms>) => watchHealthAlarms(deps, input),
    /** Loads a runbook by name and checks it can drive a weighted traffic shift. No AWS call. */
    prepareTrafficShift: (input: Args<typeof prepareTrafficShift>) => prepareTrafficShift(deps, input),
    /** Waits until a secondary replicates again within RPO (failback). */
    awaitReProtected: (input: Args<typeof awaitReProtected>) => awaitReProtected(deps, input),
    /** A timeline event stamped with the activities' clock (used for human decisions and requests). */
    stampEvent: (input: Args<typeof stampEvent>) => stampEvent(deps, input),
  };
}
