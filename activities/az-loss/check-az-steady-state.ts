/** `checkAzSteadyState`: the steady state before the fault, and which components the AZ loss impairs. Read only. */
import type { AzComponent, FisRef, SteadyState, SteadyStateCheck } from '../../contracts/az-loss';
import { withAwsErrors } from '../aws/errors';
import type { ActivityDeps } from '../deps';
import { describeGroup, primaries, readAlarms, servingInstances, writerPlace } from './reads';

/** Input of `checkAzSteadyState`. */
export interface SteadyStateInput extends FisRef {
  readonly az: string;
  readonly components: readonly AzComponent[];
  readonly stopConditionAlarms: readonly string[];
  readonly healthAlarms: readonly string[];
}

const check = (name: string, ok: boolean, expected: string, found: string): SteadyStateCheck => ({ name, ok, expected, found });

/** The checks of one component, and whether it has its writer/primary/an instance in the AZ. */
async function checkComponent(
  deps: ActivityDeps,
  input: SteadyStateInput,
  c: AzComponent,
): Promise<{ checks: SteadyStateCheck[]; inAz: boolean }> {
  if (c.kind === 'aurora') {
    const p = await writerPlace(deps, input, c.clusterId);
    const readers = p.cluster.members.filter((m) => !m.isClusterWriter).length;
    return {
      checks: [
        check(`${c.id}: status`, p.cluster.status === 'available', 'available', p.cluster.status),
        check(`${c.id}: a reader to fail over to`, readers > 0, 'at least one reader', `${readers} reader(s)`),
        check(`${c.id}: writer`, p.writer !== undefined, 'a writer instance', p.writer ? `${p.writer} in ${p.writerAz ?? '?'}` : 'none'),
      ],
      inAz: p.writerAz === input.az,
    };
  }
  if (c.kind === 'elasticache') {
    const cache = deps.aws.elasticache({ region: input.region, accountId: input.account });
    const rg = await withAwsErrors(
      () => cache.describeReplicationGroup(c.replicationGroupId),
      `elasticache.describeReplicationGroup(${c.replicationGroupId})`,
    );
    const failover = rg.automaticFailover === 'enabled' && rg.multiAz === 'enabled';
    return {
      checks: [
        check(`${c.id}: status`, rg.status === 'available', 'available', rg.status),
        check(`${c.id}: automatic failover`, failover, 'enabled, Multi-AZ', `${rg.automaticFailover}, Multi-AZ ${rg.multiAz}`),
      ],
      inAz: primaries(rg).some((p) => p.az === input.az),
    };
  }
  const asg = deps.aws.autoscaling({ region: input.region, accountId: input.account });
  const g = await withAwsErrors(
    () => asg.describeAutoScalingGroup(c.autoScalingGroup),
    `autoscaling.describeAutoScalingGroup(${c.autoScalingGroup})`,
  );
  const serving = servingInstances(g);
  const otherAzs = g.availabilityZones.some((z) => z !== input.az);
  return {
    checks: [
      check(
        `${c.id}: capacity`,
        serving.length >= g.desiredCapacity,
        `${g.desiredCapacity} InService Healthy instance(s)`,
        `${serving.length} (${describeGroup(g)})`,
      ),
      check(`${c.id}: AZs to launch into`, otherAzs, `an AZ other than ${input.az}`, g.availabilityZones.join(', ') || 'none'),
    ],
    inAz: serving.some((i) => i.availabilityZone === input.az),
  };
}

/**
 * Steady state before the fault: every component available and multi-AZ, the stop-condition
 * alarms not in ALARM and the health alarms OK; also says which components have their
 * writer/primary (or an InService instance) in the AZ.
 */
export async function checkAzSteadyState(deps: ActivityDeps, input: SteadyStateInput): Promise<SteadyState> {
  const checks: SteadyStateCheck[] = [];
  const inAz: string[] = [];
  for (const c of input.components) {
    const r = await checkComponent(deps, input, c);
    checks.push(...r.checks);
    if (r.inAz) inAz.push(c.id);
  }
  for (const a of await readAlarms(deps, input, input.stopConditionAlarms)) {
    checks.push(check(`stop condition ${a.alarmName}`, a.stateValue !== 'ALARM', 'not in ALARM', a.stateValue));
  }
  for (const a of await readAlarms(deps, input, input.healthAlarms)) {
    checks.push(check(`health ${a.alarmName}`, a.stateValue === 'OK', 'OK', a.stateValue));
  }
  return { ok: checks.every((x) => x.ok), checks, inAz, at: deps.clock.now() };
}
