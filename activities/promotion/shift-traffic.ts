/**
 * Moves traffic between regions with the runbook's routing lever, reading the current state first
 * (a retry or a second call with the same target changes nothing):
 * - failover records: the target region's record becomes PRIMARY, the other SECONDARY (one batch);
 * - weighted records: every set identifier UPSERTed with its new weight (one batch);
 * - ARC routing controls through the data plane: the target On, the others Off (one call).
 * A Route 53 change is timed by its `SubmittedAt` (AWS's clock); a target found already in place
 * is `atSource: 'found-later'` (after a worker gap the change was made earlier, by the lost attempt).
 */
import { ApplicationFailure } from '@temporalio/common';
import type { RecordChange, ResourceRecordSet } from '../aws/ports';
import { withAwsErrors } from '../aws/errors';
import type { ActivityDeps } from '../deps';
import type { Runbook } from '../../runbooks/schema';
import { activityHooks } from './activity-context';
import type { TrafficShiftResult, TrafficTarget } from '../../contracts/promotion';

/** Input of `shiftTraffic`. */
export interface ShiftTrafficInput {
  readonly runbook: Runbook;
  readonly target: TrafficTarget;
  /** Change comment (names the run). */
  readonly comment: string;
}

/** Failure type of a runbook whose routing cannot do what is asked (non-retryable). */
export const UNSUPPORTED_ROUTING = 'UnsupportedRouting';

function sameName(a: string, b: string): boolean {
  return a.replace(/\.$/, '').toLowerCase() === b.replace(/\.$/, '').toLowerCase();
}

/** Set identifier of a region's failover record: `primarySetId` belongs to `aurora.primaryRegion`, `secondarySetId` to the other. */
export function failoverSetIdOf(rb: Runbook, region: string): string {
  const r53 = rb.route53!;
  const routing = r53.routing;
  if (routing.policy !== 'failover') throw new Error('not failover routing');
  const primaryRegion = rb.aurora?.primaryRegion;
  return region === primaryRegion ? routing.primarySetId : routing.secondarySetId;
}

/** Reads the current routing, then applies `target` if it is not already in place. */
export async function shiftTraffic(deps: ActivityDeps, input: ShiftTrafficInput): Promise<TrafficShiftResult> {
  const { heartbeat } = activityHooks();
  heartbeat({ step: 'traffic', phase: 'read' });
  const rb = input.runbook;
  const r53cfg = rb.route53;
  if (!r53cfg) {
    throw ApplicationFailure.create({
      type: UNSUPPORTED_ROUTING,
      message: 'route53: the runbook has no route53 section; nothing to shift',
      nonRetryable: true,
    });
  }
  const routing = r53cfg.routing;

  if (routing.policy === 'arc') {
    if (input.target.kind !== 'activate') {
      throw ApplicationFailure.create({
        type: UNSUPPORTED_ROUTING,
        message: 'route53.routing: weights need weighted records; ARC routing controls are On/Off',
        nonRetryable: true,
      });
    }
    const active = input.target.region;
    const arc = deps.aws.arc({ region: routing.clusterRegion, accountId: rb.account, clusterEndpoints: routing.clusterEndpoints });
    const desired = Object.entries(routing.routingControls).map(([region, arn]) => ({
      routingControlArn: arn,
      state: (region === active ? 'On' : 'Off') as 'On' | 'Off',
    }));
    const current = await Promise.all(
      desired.map((d) => withAwsErrors(() => arc.getRoutingControlState(d.routingControlArn), 'arc.getRoutingControlState')),
    );
    if (desired.every((d, i) => current[i]!.state === d.state)) {
      return {
        effect: 'already-done',
        at: deps.clock.now(),
        atSource: 'found-later',
        detail: `routing controls already route to ${active}`,
      };
    }
    heartbeat({ step: 'traffic', phase: 'call' });
    const at = deps.clock.now();
    await withAwsErrors(() => arc.updateRoutingControlStates({ entries: desired }), 'arc.updateRoutingControlStates');
    return { effect: 'called', at, detail: `routing controls: ${active} On, others Off` };
  }

  const r53 = deps.aws.route53({ accountId: rb.account });
  const records = await withAwsErrors(
    () => r53.listResourceRecordSets({ hostedZoneId: r53cfg.hostedZoneId, name: r53cfg.recordName }),
    `route53.listResourceRecordSets(${r53cfg.recordName})`,
  );
  const bySetId = (setId: string): ResourceRecordSet => {
    const rec = records.find((r) => r.setIdentifier === setId && sameName(r.name, r53cfg.recordName));
    if (!rec) {
      throw ApplicationFailure.create({
        type: UNSUPPORTED_ROUTING,
        message: `route53: no record ${r53cfg.recordName} with set identifier ${setId} in ${r53cfg.hostedZoneId}`,
        nonRetryable: true,
      });
    }
    return rec;
  };
  let changes: RecordChange[];
  let previousWeights: Record<string, number> | undefined;
  let what: string;

  if (routing.policy === 'failover') {
    if (input.target.kind !== 'activate') {
      throw ApplicationFailure.create({
        type: UNSUPPORTED_ROUTING,
        message: 'route53.routing: weights need weighted records; failover records are PRIMARY/SECONDARY',
        nonRetryable: true,
      });
    }
    const active = input.target.region;
    const regions = rb.aurora?.members.map((m) => m.region) ?? [];
    const desired = regions.map((region) => ({
      rec: bySetId(failoverSetIdOf(rb, region)),
      failover: (region === active ? 'PRIMARY' : 'SECONDARY') as 'PRIMARY' | 'SECONDARY',
    }));
    changes = desired
      .filter((d) => d.rec.failover !== d.failover)
      .map((d) => ({ action: 'UPSERT', recordSet: { ...d.rec, failover: d.failover } }));
    what = `failover records: ${active} PRIMARY`;
  } else {
    const weights: Record<string, number> =
      input.target.kind === 'weights'
        ? { ...input.target.weights }
        : Object.fromEntries(
            Object.keys(routing.setIds).map((region) => [region, region === (input.target as { region: string }).region ? 100 : 0]),
          );
    previousWeights = Object.fromEntries(Object.entries(routing.setIds).map(([region, setId]) => [region, bySetId(setId).weight ?? 0]));
    changes = Object.entries(weights)
      .filter(([region]) => routing.setIds[region] !== undefined)
      .map(([region, weight]) => ({ rec: bySetId(routing.setIds[region]!), weight }))
      .filter((d) => d.rec.weight !== d.weight)
      .map((d) => ({ action: 'UPSERT', recordSet: { ...d.rec, weight: d.weight } }));
    what = `weights ${Object.entries(weights)
      .map(([r, w]) => `${r}=${w}`)
      .join(', ')}`;
  }

  if (changes.length === 0) {
    return {
      effect: 'already-done',
      at: deps.clock.now(),
      atSource: 'found-later',
      detail: `${what} already in place`,
      ...(previousWeights ? { previousWeights } : {}),
    };
  }
  heartbeat({ step: 'traffic', phase: 'call' });
  const at = deps.clock.now();
  const change = await withAwsErrors(
    () => r53.changeResourceRecordSets({ hostedZoneId: r53cfg.hostedZoneId, changes, comment: input.comment }),
    `route53.changeResourceRecordSets(${r53cfg.recordName})`,
  );
  // Route 53's own SubmittedAt is the change's time in the world (issue 15 item 4); the issue time is the fallback.
  const submitted = Number.isFinite(change.submittedAt) ? { at: change.submittedAt, atSource: 'aws' as const } : { at };
  return { effect: 'called', ...submitted, changeId: change.id, detail: what, ...(previousWeights ? { previousWeights } : {}) };
}
