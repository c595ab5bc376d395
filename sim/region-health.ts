/**
 * How healthy one service is in one region of the simulated world, as the periphery simulators
 * (Route 53 health checks, CloudWatch health alarms) see it. A region is unhealthy when it is
 * impaired (by FIS or directly through the RDS simulator), when one of its entry-point load
 * balancers does not answer (a FIS network disruption of their subnets), or when it is the region of the current
 * Aurora writer and that writer does not accept writes (failover in progress, AZ loss, …).
 *
 * The RDS simulator (owned by another file) is reached through the narrow `RdsSimHooks` view,
 * every member optional, so the periphery works (treating the database as healthy) before or
 * without those hooks.
 */
import type { Runbook } from '../runbooks/schema';
import type { SimAws } from './index';

/** The RDS simulator's control surface the periphery uses. All optional: absent = not modelled. */
export interface RdsSimHooks {
  impairAz(region: string, az: string): void;
  restoreAz(region: string, az: string): void;
  impairRegion(region: string): void;
  restoreRegion(region: string): void;
  /** Region of the current writer of a global cluster. */
  writerRegion(globalId: string): string | undefined;
  isWritable(clusterId: string): boolean;
  /** Replication lag of a secondary cluster behind its primary, ms. */
  replicationLagMs(clusterId: string): number | undefined;
  /** Optional: whether a region is impaired. */
  isRegionImpaired(region: string): boolean;
}

/** The RDS simulator seen through `RdsSimHooks`; each member is undefined until implemented. */
export function rdsHooks(sim: SimAws): Partial<RdsSimHooks> {
  const rds = sim.rdsSim as unknown as Record<string, unknown>;
  const bind = <K extends keyof RdsSimHooks>(k: K): RdsSimHooks[K] | undefined =>
    typeof rds?.[k] === 'function' ? ((rds[k] as (...a: unknown[]) => unknown).bind(rds) as RdsSimHooks[K]) : undefined;
  return {
    impairAz: bind('impairAz'),
    restoreAz: bind('restoreAz'),
    impairRegion: bind('impairRegion'),
    restoreRegion: bind('restoreRegion'),
    writerRegion: bind('writerRegion'),
    isWritable: bind('isWritable'),
    replicationLagMs: bind('replicationLagMs'),
    isRegionImpaired: bind('isRegionImpaired'),
  };
}

/** The primary region a runbook declares (Aurora primary, else the first allowed region). */
export function declaredPrimaryRegion(rb: Runbook): string {
  return rb.aurora?.primaryRegion ?? rb.blastRadius.regions[0]!;
}

/** Region of the current Aurora writer of a runbook's database (declared primary when unknown). */
export function currentWriterRegion(sim: SimAws, rb: Runbook): string {
  const declared = declaredPrimaryRegion(rb);
  const globalId = rb.aurora?.globalClusterId;
  const writerRegion = rdsHooks(sim).writerRegion;
  if (!globalId || !writerRegion) return declared;
  try {
    return writerRegion(globalId) ?? declared;
  } catch {
    // The global cluster may be gone (detach-and-promote): the declared primary is the best guess.
    return declared;
  }
}

/** Health of one service in one region, with the reason when unhealthy. */
export interface RegionHealth {
  readonly healthy: boolean;
  readonly reason: string;
}

/** Computes the raw (undelayed) health of `rb`'s service in `region` right now. */
export function regionHealth(sim: SimAws, rb: Runbook, region: string): RegionHealth {
  const hooks = rdsHooks(sim);
  if (sim.world.impairedRegions.has(region) || sim.fisSim.isRegionImpaired(region) || hooks.isRegionImpaired?.(region)) {
    return { healthy: false, reason: `region ${region} is impaired` };
  }
  const silent = (rb.regionCut?.loadBalancers[region] ?? []).filter((name) => !sim.elbv2Sim.answering(region, name));
  if (silent.length > 0) return { healthy: false, reason: `load balancer ${silent.join(', ')} in ${region} does not answer` };
  if (rb.aurora && hooks.isWritable && region === currentWriterRegion(sim, rb)) {
    const member = rb.aurora.members.find((m) => m.region === region);
    if (member) {
      let writable = true;
      try {
        // Prefer the side-effect-free check: `isWritable` advances the world, which must not
        // happen inside a scheduled transition (this runs in the health evaluators' ticks).
        const byArn = (sim.rdsSim as unknown as { isWritableCluster?: (arn: string) => boolean }).isWritableCluster;
        writable = byArn
          ? byArn.call(sim.rdsSim, `arn:aws:rds:${region}:${rb.account}:cluster:${member.clusterId}`)
          : hooks.isWritable(member.clusterId);
      } catch {
        writable = false;
      }
      if (!writable) return { healthy: false, reason: `writer cluster ${member.clusterId} in ${region} does not accept writes` };
    }
  }
  return { healthy: true, reason: `${rb.service} in ${region} is serving` };
}

/** Starts a self-rescheduling evaluation loop on the world every `everyMs` simulated ms. */
export function every(sim: SimAws, everyMs: number, run: (at: number) => void): void {
  const world = sim.world;
  const tick = (at: number): void => {
    run(at);
    world.schedule(at + everyMs, () => tick(at + everyMs));
  };
  const first = world.now() + everyMs;
  world.schedule(first, () => tick(first));
}

/** Deterministic pseudo-random id from the world's RNG: `prefix` + `n` chars of `alphabet`. */
export function randomId(sim: SimAws, prefix: string, n: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'): string {
  let s = prefix;
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(sim.world.rng() * alphabet.length)];
  return s;
}

/** Deterministic RFC 4122 v4-shaped UUID from the world's RNG. */
export function randomUuid(sim: SimAws): string {
  const hex = (n: number): string => randomId(sim, '', n, '0123456789abcdef');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(sim.world.rng() * 4)]}${hex(3)}-${hex(12)}`;
}
