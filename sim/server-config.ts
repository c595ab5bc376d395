/**
 * The sim server's configuration (`POST /config`, `GET /config`): operation durations and lags a
 * benchmark or a rehearsal sets on a running simulated AWS, instead of editing module constants.
 *
 *   { "rds": { "switchoverTotal": [20000, 30000], "failoverTotal": [15000, 20000], "detach": [10000, 15000] },
 *     "route53": { "propagation": [5000, 8000] },
 *     "replicationLagMs": { "payments-usw2": 3700 } }
 *
 * Every duration is `[min, max]` simulated ms (or one number) and applies to operations started
 * after the call; `rds` takes any name of `RDS_DURATIONS` (switchoverPending, switchoverTotal,
 * switchoverFinish, failoverPending, failoverTotal, failoverFinish, detach, …). The answer is the
 * configuration in effect.
 */
import { durationRange } from './duration-range';
import type { SimAws } from './index';

/** The body of `POST /config`. */
export interface SimConfig {
  readonly rds?: Readonly<Record<string, unknown>>;
  readonly route53?: { readonly propagation?: unknown };
  /** Replication lag per secondary cluster id, simulated ms. */
  readonly replicationLagMs?: Readonly<Record<string, unknown>>;
}

/** What `GET /config` answers. */
export interface SimConfigInEffect {
  readonly rds: Readonly<Record<string, readonly [number, number]>>;
  readonly route53: { readonly propagation: readonly [number, number] };
}

const KEYS = ['rds', 'route53', 'replicationLagMs'];

function objectAt(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${where}: expected an object, got ${JSON.stringify(v)}`);
  return v as Record<string, unknown>;
}

/** Applies `body` to `sim` (all checked first: a bad field changes nothing) and returns the configuration in effect. */
export function applySimConfig(sim: SimAws, body: Record<string, unknown>): SimConfigInEffect {
  const unknown = Object.keys(body).filter((k) => !KEYS.includes(k));
  if (unknown.length > 0) throw new Error(`config: unknown field ${unknown.join(', ')}; expected ${KEYS.join(', ')}`);
  const rds = body.rds === undefined ? {} : objectAt(body.rds, 'config.rds');
  const r53 = body.route53 === undefined ? {} : objectAt(body.route53, 'config.route53');
  const extra = Object.keys(r53).filter((k) => k !== 'propagation');
  if (extra.length > 0) throw new Error(`config.route53: unknown field ${extra.join(', ')}; expected propagation`);
  const lags = body.replicationLagMs === undefined ? {} : objectAt(body.replicationLagMs, 'config.replicationLagMs');
  for (const [id, ms] of Object.entries(lags)) {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new Error(`config.replicationLagMs.${id}: expected simulated ms ≥ 0, got ${JSON.stringify(ms)}`);
    }
    sim.rdsSim.replicationLagMs(id); // throws naming an unknown cluster, before anything changes
  }
  const propagation = r53.propagation !== undefined ? durationRange('config.route53.propagation', r53.propagation) : undefined;
  // A bad rds duration restores the ones before, so a bad field leaves the sim as it was.
  const before = sim.rdsSim.configureDurations({});
  try {
    sim.rdsSim.configureDurations(rds);
  } catch (e) {
    sim.rdsSim.configureDurations(before);
    throw e;
  }
  if (propagation) sim.route53Sim.setPropagation(propagation);
  for (const [id, ms] of Object.entries(lags)) sim.rdsSim.setReplicationLag(id, ms as number);
  return readSimConfig(sim);
}

/** The configuration in effect (`GET /config`). */
export function readSimConfig(sim: SimAws): SimConfigInEffect {
  return { rds: sim.rdsSim.configureDurations({}), route53: { propagation: sim.route53Sim.setPropagation(undefined) } };
}
