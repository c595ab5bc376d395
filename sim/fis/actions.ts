/**
 * The effects of FIS actions on the simulated world (AZ / region impairment, ElastiCache power, EC2,
 * RDS, SSM automation, alarms), with refcounted holds. Every action of the FIS catalog either has an
 * effect here (`SIMULATED_FIS_ACTIONS`) or ends `skipped` with the reason "not simulated" and a
 * world record saying so: never a silent success.
 */
import { lookupFisAction } from '../../runbooks/fis-catalog';
import { rdsHooks } from '../region-health';
import { failAction, finishAction, setActionStatus, startReadyActions } from './experiments';
import type { ActionRun, Experiment, FisState, ResolvedResource } from './state';
import { rdsFor } from './targets';
import { alarmNameOf, parseIsoDuration } from './templates';

/** Catalog actions whose effect the sim models; the others end `skipped` as not simulated. */
export const SIMULATED_FIS_ACTIONS: ReadonlySet<string> = new Set([
  'aws:fis:wait',
  'aws:ec2:stop-instances',
  'aws:ec2:terminate-instances',
  'aws:ec2:reboot-instances',
  'aws:ec2:api-insufficient-instance-capacity-error',
  'aws:ec2:asg-insufficient-instance-capacity-error',
  'aws:network:disrupt-connectivity',
  'aws:rds:failover-db-cluster',
  'aws:rds:reboot-db-instances',
  'aws:elasticache:replicationgroup-interrupt-az-power',
  'aws:ebs:pause-volume-io',
  'aws:arc:start-zonal-autoshift',
  'aws:network:route-table-disrupt-cross-region-connectivity',
  'aws:network:transit-gateway-disrupt-cross-region-connectivity',
  'aws:ssm:start-automation-execution',
  'aws:cloudwatch:assert-alarm-state',
]);

/** The current catalog id of an action (a former name maps to the new one). */
export function currentActionId(actionId: string): string {
  return lookupFisAction(actionId)?.currentId ?? actionId;
}

/** True when the sim models the action's effect. */
export function isSimulated(actionId: string): boolean {
  return SIMULATED_FIS_ACTIONS.has(currentActionId(actionId));
}

/** An action's ISO-8601 duration parameter in ms. */
export function durationOf(fis: FisState, a: ActionRun, param = 'duration'): number | undefined {
  const v = a.def.parameters?.[param];
  return v === undefined ? undefined : parseIsoDuration(v);
}

/** The resolved resources of an action's target. */
export function resources(fis: FisState, e: Experiment, a: ActionRun): ResolvedResource[] {
  const targetName = Object.values(a.def.targets ?? {})[0];
  return targetName ? (e.targets.get(targetName) ?? []) : [];
}

/** A parameter of an action's target. */
export function targetParam(fis: FisState, e: Experiment, a: ActionRun, name: string): string | undefined {
  const targetName = Object.values(a.def.targets ?? {})[0];
  return targetName ? e.template.targets[targetName]?.parameters?.[name] : undefined;
}

/** Acquires a refcounted hold; `on` runs for the first holder, and the returned release runs `off` for the last. */
export function hold(fis: FisState, key: string, on: () => void, off: () => void): () => void {
  const n = fis.holds.get(key) ?? 0;
  fis.holds.set(key, n + 1);
  if (n === 0) on();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (fis.holds.get(key) ?? 1) - 1;
    if (left <= 0) {
      fis.holds.delete(key);
      off();
    } else fis.holds.set(key, left);
  };
}

/** Impairs an AZ: RDS (writer there fails over), ElastiCache (primary there fails over), launches blocked. */
export function holdAz(fis: FisState, region: string, az: string, cause: string): () => void {
  const rds = rdsHooks(fis.sim);
  return hold(
    fis,
    `az|${region}|${az}`,
    () => {
      fis.world.record({ service: 'fis', resource: az, event: 'az-impaired', detail: { region, cause } });
      rds.impairAz?.(region, az);
      fis.ec2.blockLaunches(region, [az]);
    },
    () => {
      rds.restoreAz?.(region, az);
      fis.ec2.unblockLaunches(region, [az]);
      fis.world.record({ service: 'fis', resource: az, event: 'az-restored', detail: { region, cause } });
    },
  );
}

/** Interrupts ElastiCache power in an AZ (refcounted per AZ). */
export function holdCachePower(fis: FisState, region: string, az: string, groupIds?: readonly string[]): () => void {
  const cache = fis.sim.elasticacheSim;
  return hold(
    fis,
    // One key per AZ: power comes back only when the last action holding it ends.
    `cache|${region}|${az}`,
    () => cache.interruptAzPower(region, az, groupIds),
    () => cache.restoreAzPower(region, az),
  );
}

/** Cuts all traffic of one subnet (refcounted): a load balancer node there stops answering. */
export function holdSubnetCut(fis: FisState, subnetId: string, cause: string): () => void {
  return hold(
    fis,
    `subnet|${subnetId}`,
    () => fis.world.record({ service: 'fis', resource: subnetId, event: 'subnet-traffic-cut', detail: { cause } }),
    () => fis.world.record({ service: 'fis', resource: subnetId, event: 'subnet-traffic-restored', detail: { cause } }),
  );
}

/** Isolates a region: RDS in it impaired (refcounted). */
export function holdRegion(fis: FisState, region: string, cause: string): () => void {
  const rds = rdsHooks(fis.sim);
  return hold(
    fis,
    `region|${region}`,
    () => {
      fis.world.record({ service: 'fis', resource: region, event: 'region-isolated', detail: { cause } });
      rds.impairRegion?.(region);
    },
    () => {
      rds.restoreRegion?.(region);
      fis.world.record({ service: 'fis', resource: region, event: 'region-restored', detail: { cause } });
    },
  );
}

/** Starts an action: applies its effect on the world and schedules its end. */
export function runAction(fis: FisState, e: Experiment, a: ActionRun, at: number): void {
  setActionStatus(fis, e, a, 'running', at);
  const done = (afterMs: number): void => {
    const t = at + afterMs;
    fis.world.schedule(t, () => finishAction(fis, e, a, t));
  };
  const failLater = (reason: string): void => {
    const t = fis.world.now();
    fis.world.schedule(t, () => failAction(fis, e, a, reason, t));
  };
  const duration = durationOf(fis, a) ?? 0;
  const region = e.region;
  const targets = resources(fis, e, a);
  const undos: (() => void)[] = [];
  a.undo = () => undos.splice(0).forEach((u) => u());
  const azsOf = (list: readonly ResolvedResource[]): string[] => [...new Set(list.flatMap((r) => r.availabilityZones))];
  const record = (event: string, detail: Record<string, unknown>): void =>
    fis.world.record({ service: 'fis', resource: `${e.id}/${a.name}`, event, at, detail });

  switch (currentActionId(a.def.actionId)) {
    case 'aws:fis:wait':
      return done(duration);
    case 'aws:ec2:terminate-instances': {
      // Terminated instances leave their ASG, which launches replacements: modelled as a stop that never restarts.
      const ids = targets.map((r) => r.id);
      record('instances-terminated', { instances: ids });
      fis.ec2.stopInstances(ids);
      return done(fis.world.between(20_000, 40_000));
    }
    case 'aws:ec2:reboot-instances':
      record('instances-rebooted', { instances: targets.map((r) => r.id) });
      return done(fis.world.between(30_000, 60_000));
    case 'aws:ec2:stop-instances': {
      const ids = targets.map((r) => r.id);
      fis.ec2.stopInstances(ids);
      const restartAfter = durationOf(fis, a, 'startInstancesAfterDuration');
      if (restartAfter === undefined) return done(fis.world.between(20_000, 40_000));
      undos.push(() => fis.ec2.startInstances(ids));
      return done(restartAfter);
    }
    case 'aws:ec2:api-insufficient-instance-capacity-error':
    case 'aws:ec2:asg-insufficient-instance-capacity-error': {
      const azs = (a.def.parameters?.['availabilityZoneIdentifiers'] ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      fis.ec2.blockLaunches(region, azs);
      record('launches-blocked', { azs });
      undos.push(() => fis.ec2.unblockLaunches(region, azs));
      return done(duration);
    }
    case 'aws:network:disrupt-connectivity': {
      const scope = a.def.parameters?.['scope'] ?? 'all';
      // Entry-point subnets (load balancer nodes) lose their traffic; the AZ itself is not impaired.
      const entry = targets.filter((r) => fis.ec2.isEntrySubnet(r.id));
      const inner = targets.filter((r) => !fis.ec2.isEntrySubnet(r.id));
      if (scope === 'all') for (const r of entry) undos.push(holdSubnetCut(fis, r.id, `${e.id}/${a.name}`));
      if (scope === 'all' || scope === 'availability-zone') {
        for (const az of azsOf(inner)) {
          undos.push(holdAz(fis, region, az, 'network'));
          undos.push(holdCachePower(fis, region, az));
        }
      } else record('connectivity-disrupted', { scope, subnets: targets.map((r) => r.id) });
      return done(duration);
    }
    case 'aws:rds:failover-db-cluster': {
      const rds = rdsFor(fis, e);
      for (const c of targets) {
        rds
          .failoverDbCluster({ dbClusterIdentifier: c.id })
          .catch((err: unknown) => failLater(`FailoverDBCluster ${c.id}: ${(err as Error).name}: ${(err as Error).message}`));
      }
      return done(fis.world.between(5_000, 10_000));
    }
    case 'aws:rds:reboot-db-instances': {
      const force = a.def.parameters?.['forceFailover'] === 'true';
      const rds = rdsFor(fis, e);
      for (const i of targets) {
        record('db-instance-rebooted', { dbInstanceIdentifier: i.id, forceFailover: force });
        if (!force) continue;
        rds
          .describeDbInstance(i.id)
          .then(async (inst) => {
            if (!inst.dbClusterIdentifier) return;
            const cluster = await rds.describeDbCluster(inst.dbClusterIdentifier);
            if (cluster.members.some((m) => m.dbInstanceIdentifier === i.id && m.isClusterWriter)) {
              await rds.failoverDbCluster({ dbClusterIdentifier: cluster.dbClusterIdentifier });
            }
          })
          .catch((err: unknown) => failLater(`RebootDBInstance ${i.id}: ${(err as Error).name}: ${(err as Error).message}`));
      }
      return done(fis.world.between(10_000, 20_000));
    }
    case 'aws:elasticache:replicationgroup-interrupt-az-power': {
      const az = targetParam(fis, e, a, 'availabilityZoneIdentifier')!;
      undos.push(
        holdCachePower(
          fis,
          region,
          az,
          targets.map((r) => r.id),
        ),
      );
      return done(duration);
    }
    case 'aws:ebs:pause-volume-io':
      record('volume-io-paused', { volumes: targets.map((r) => r.id) });
      undos.push(() =>
        fis.world.record({
          service: 'fis',
          resource: `${e.id}/${a.name}`,
          event: 'volume-io-resumed',
          detail: { volumes: targets.map((r) => r.id) },
        }),
      );
      return done(duration);
    case 'aws:arc:start-zonal-autoshift': {
      const az = a.def.parameters?.['availabilityZoneIdentifier'];
      record('zonal-shift-started', { awayFrom: az, resources: targets.map((r) => r.id) });
      undos.push(() =>
        fis.world.record({ service: 'fis', resource: `${e.id}/${a.name}`, event: 'zonal-shift-ended', detail: { awayFrom: az } }),
      );
      return done(duration);
    }
    case 'aws:network:route-table-disrupt-cross-region-connectivity':
    case 'aws:network:transit-gateway-disrupt-cross-region-connectivity': {
      const isolated = a.def.parameters?.['region'] ?? '';
      undos.push(holdRegion(fis, isolated, `cross-region connectivity from ${region} disrupted`));
      return done(duration);
    }
    case 'aws:ssm:start-automation-execution':
      return runAutomation(fis, e, a, at);
    case 'aws:cloudwatch:assert-alarm-state': {
      const want = (a.def.parameters?.['alarmStates'] ?? '').split(',').map((s) => s.trim());
      for (const arn of (a.def.parameters?.['alarmArns'] ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)) {
        const { name, region: r } = alarmNameOf(arn);
        const state = fis.sim.cloudwatchSim.alarmState(name, r);
        if (!state || !want.includes(state)) {
          fis.world.schedule(at, () => failAction(fis, e, a, `alarm ${name} is ${state ?? 'absent'}, expected ${want.join(' or ')}`, at));
          return;
        }
      }
      return done(0);
    }
    default:
      return skipNotSimulated(fis, e, a, at);
  }
}

/** Ends an action the sim does not model: `skipped`, with the reason and a world record; the experiment goes on. */
export function skipNotSimulated(fis: FisState, e: Experiment, a: ActionRun, at: number): void {
  const service = currentActionId(a.def.actionId).split(':')[1] ?? 'this service';
  const reason = `not simulated: the sim has no model of ${service} for ${a.def.actionId}; nothing was changed`;
  fis.world.record({
    service: 'fis',
    resource: `${e.id}/${a.name}`,
    event: 'action-not-simulated',
    at,
    detail: { actionId: a.def.actionId },
  });
  setActionStatus(fis, e, a, 'skipped', at, reason);
  startReadyActions(fis, e, at);
}

/** `aws:ssm:start-automation-execution`: starts the SSM automation and polls it until it ends or `maxDuration` passes. */
export function runAutomation(fis: FisState, e: Experiment, a: ActionRun, at: number): void {
  const p = a.def.parameters ?? {};
  let params: Record<string, readonly string[]> = {};
  try {
    const raw = JSON.parse(p['documentParameters'] ?? '{}') as Record<string, unknown>;
    params = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : [String(v)]]));
  } catch {
    fis.world.schedule(at, () => failAction(fis, e, a, 'documentParameters is not valid JSON', at));
    return;
  }
  let id: string;
  try {
    id = fis.sim.ssmSim.startExecution(e.region, p['documentArn']!, params);
  } catch (err) {
    fis.world.schedule(at, () => failAction(fis, e, a, `${(err as Error).name}: ${(err as Error).message}`, at));
    return;
  }
  const deadline = at + (durationOf(fis, a, 'maxDuration') ?? 3_600_000);
  a.undo = () => fis.sim.ssmSim.cancelExecution(id);
  const check = (t: number): void => {
    if (a.status !== 'running') return;
    const x = fis.sim.ssmSim.executionStatus(id);
    if (x?.status === 'Success') {
      const end = x.endTime ?? t;
      a.undo = undefined;
      return finishAction(fis, e, a, Math.max(end, at));
    }
    if (x && ['Failed', 'Cancelled', 'TimedOut'].includes(x.status)) {
      a.undo = undefined;
      return failAction(fis, e, a, `automation ${id} ended ${x.status}${x.failureMessage ? `: ${x.failureMessage}` : ''}`, x.endTime ?? t);
    }
    if (t >= deadline) return failAction(fis, e, a, `automation ${id} did not finish within maxDuration`, t);
    fis.world.schedule(t + 5_000, () => check(t + 5_000));
  };
  fis.world.schedule(at + 5_000, () => check(at + 5_000));
}
