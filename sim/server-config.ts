/**
 * The sim server's configuration (`POST /config`, `GET /config`): operation durations and lags a
 * benchmark or a rehearsal sets on a running simulated AWS, instead of editing module constants.
 *
 *   { "rds": { "switchoverTotal": [20000, 30000], "failoverTotal": [15000, 20000], "detach": [10000, 15000] },
 *     "route53": { "propagation": [5000, 8000] },
 *     "replicationLagMs": { "payments-usw2": 3700 },
 *     "fencing": { "effect": "block-writes", "duration": [20000, 30000] } }
 *
 * Every duration is `[min, max]` simulated ms (or one number) and applies to operations started
 * after the call; `rds` takes any name of `RDS_DURATIONS` (switchoverPending, switchoverTotal,
 * switchoverFinish, failoverPending, failoverTotal, failoverFinish, detach, …). `fencing` is what
 * the runbooks' write-fencing SSM documents do when they succeed: `none` (the default: the
 * automation succeeds and nothing changes) or `block-writes` (the cluster named by `ClusterId`
 * stops taking writes from the automation's end), and how long they run. The answer is the
 * configuration in effect.
 */
import { durationRange } from './duration-range';
import type { SimAws } from './index';
import type { SimFencing } from './ssm';

/** The body of `POST /config`. */
export interface SimConfig {
  readonly rds?: Readonly<Record<string, unknown>>;
  readonly route53?: { readonly propagation?: unknown };
  /** Replication lag per secondary cluster id, simulated ms. */
  readonly replicationLagMs?: Readonly<Record<string, unknown>>;
  /** What write-fencing documents do and how long they run. */
  readonly fencing?: { readonly effect?: unknown; readonly duration?: unknown };
}

/** What `GET /config` answers. */
export interface SimConfigInEffect {
  readonly rds: Readonly<Record<string, readonly [number, number]>>;
  readonly route53: { readonly propagation: readonly [number, number] };
  readonly fencing: SimFencing;
}

const KEYS = ['rds', 'route53', 'replicationLagMs', 'fencing'];
const FENCING_EFFECTS: readonly SimFencing['effect'][] = ['none', 'block-writes'];

/** The checked `fencing` field (nothing applied). */
function fencingOf(v: unknown): Partial<SimFencing> {
  if (v === undefined) return {};
  const f = objectAt(v, 'config.fencing');
  const extra = Object.keys(f).filter((k) => k !== 'effect' && k !== 'duration');
  if (extra.length > 0) throw new Error(`config.fencing: unknown field ${extra.join(', ')}; expected effect, duration`);
  if (f.effect !== undefined && !FENCING_EFFECTS.includes(f.effect as SimFencing['effect'])) {
    throw new Error(`config.fencing.effect: expected one of ${FENCING_EFFECTS.join(', ')}, got ${JSON.stringify(f.effect)}`);
  }
  return {
    ...(f.effect !== undefined ? { effect: f.effect as SimFencing['effect'] } : {}),
    ...(f.duration !== undefined ? { duration: durationRange('config.fencing.duration', f.duration) } : {}),
  };
}

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
  const fencing = fencingOf(body.fencing);
  // A bad rds duration restores the ones before, so a bad field leaves the sim as it was.
  const before = sim.rdsSim.configureDurations({});
  try {
    sim.rdsSim.configureDurations(rds);
  } catch (e) {
    sim.rdsSim.configureDurations(before);
    throw e;
  }
  if (propagation) sim.route53Sim.setPropagation(propagation);
  sim.ssmSim.configureFencing(fencing);
  for (const [id, ms] of Object.entries(lags)) sim.rdsSim.setReplicationLag(id, ms as number);
  return readSimConfig(sim);
}

/** The configuration in effect (`GET /config`). */
export function readSimConfig(sim: SimAws): SimConfigInEffect {
  return {
    rds: sim.rdsSim.configureDurations({}),
    route53: { propagation: sim.route53Sim.setPropagation(undefined) },
    fencing: sim.ssmSim.configureFencing({}),
  };
}
