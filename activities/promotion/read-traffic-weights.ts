/**
 * `readTrafficWeights`: the current weight of every region's weighted record, read before a
 * traffic shift so the workflow knows where traffic is (direction check) and what an undo restores.
 */
import { ApplicationFailure } from '@temporalio/common';
import { withAwsErrors } from '../aws/errors';
import type { ActivityDeps } from '../deps';
import type { Runbook } from '../../runbooks/schema';
import { UNSUPPORTED_ROUTING } from './shift-traffic';

/** Current weights per region, with the clock time of the read. */
export interface TrafficWeights {
  readonly weights: Readonly<Record<string, number>>;
  readonly at: number;
}

/** Reads the weighted records of the runbook (one ListResourceRecordSets call). */
export async function readTrafficWeights(deps: ActivityDeps, input: { readonly runbook: Runbook }): Promise<TrafficWeights> {
  const r53cfg = input.runbook.route53;
  if (!r53cfg || r53cfg.routing.policy !== 'weighted') {
    throw ApplicationFailure.create({
      type: UNSUPPORTED_ROUTING,
      message: 'route53.routing: a traffic shift needs weighted records (policy: weighted)',
      nonRetryable: true,
    });
  }
  const setIds = r53cfg.routing.setIds;
  const r53 = deps.aws.route53({ accountId: input.runbook.account });
  const records = await withAwsErrors(
    () => r53.listResourceRecordSets({ hostedZoneId: r53cfg.hostedZoneId, name: r53cfg.recordName }),
    `route53.listResourceRecordSets(${r53cfg.recordName})`,
  );
  const weights = Object.fromEntries(
    Object.entries(setIds).map(([region, setId]) => [region, records.find((r) => r.setIdentifier === setId)?.weight ?? 0]),
  );
  return { weights, at: deps.clock.now() };
}
