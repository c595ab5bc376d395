/**
 * The simulated world's truth for one benchmark run, to compare a promotion's report with:
 * - RTO truth = the request (the bench's clock just before it starts the workflow) → the service
 *   recovered in the world: the latest of the promoted cluster writable (`cluster-writable`),
 *   the Route 53 change INSYNC (`change-insync`) and the application's SSM parameter updated
 *   (`parameter-updated`); the health alarms stay OK in these runs.
 * - promotion end truth = `cluster-writable` of the promoted cluster.
 * - per-event truth (`events`), to judge each timeline event and phase: promotion-started = the
 *   sim's `global-<mode>-requested`, promotion-finished = `cluster-writable`,
 *   traffic-shift-started = `change-submitted`, traffic-converged = `change-insync`,
 *   app-reconfigured = `parameter-updated`, app-healthy = the service recovered (above).
 * - lost writes and RPO truth, snapshot when the sim drops the unreplicated tail (`writes-lost`),
 *   before the run deletes its canary rows: lost = the dropped rows of the run; RPO = commit time
 *   of the newest lost row − that of the newest row on the new writer older than it; when no row
 *   older than it reached the new writer (total loss: the promotion came within one replication
 *   lag of the canary's first write), RPO = newest lost − the run's first row + one write interval,
 *   the definition `lib/timeline.ts` states for that case (without it the truth said 0 there).
 */
import type { SimAws } from '../../sim';
import type { GroundTruthEvent } from '../../sim/world';
import type { TimelineEventName } from '../../lib/measurement-types';
import type { PromotionMode } from '../../contracts/promotion';
import type { BenchRunbook } from './bench-runbooks';

/** What the world says about one run (simulated ms). */
export interface RunTruth {
  readonly requestedAt: number;
  readonly writableAt: number;
  readonly insyncAt: number;
  readonly parameterAt: number;
  readonly recoveredAt: number;
  /** The world's time of each timeline event the report stamps (see the module doc). */
  readonly events: Readonly<Partial<Record<TimelineEventName, number>>>;
  readonly lost: number;
  readonly rpoMs: number;
}

/** RPO and lost writes of a run, captured at the `writes-lost` transition. */
export interface LossSnapshot {
  lost: number;
  rpoMs: number;
}

/** Watches `sim` for the `writes-lost` event of `rb`'s global cluster and snapshots its truth then. */
export function watchLoss(
  sim: SimAws,
  rb: Pick<BenchRunbook, 'globalClusterId' | 'primary' | 'secondary' | 'canaryTable'>,
  ratePerSecond = 10,
): { snapshot(): LossSnapshot | undefined; stop(): void } {
  let snap: LossSnapshot | undefined;
  const stop = sim.world.log.onRecord((e: GroundTruthEvent) => {
    if (e.service !== 'rds' || e.event !== 'writes-lost' || e.resource !== rb.globalClusterId) return;
    const seqs = (e.detail?.seqs as Record<string, number[]> | undefined) ?? {};
    const rows = (arn: string, runId: string): Map<number, number> =>
      (sim.canary.cluster(arn).tables.get(rb.canaryTable)?.get(runId) as Map<number, number> | undefined) ?? new Map<number, number>();
    let lost = 0;
    let rpoMs = 0;
    for (const [runId, lostSeqs] of Object.entries(seqs)) {
      lost += lostSeqs.length;
      const old = rows(rb.primary.arn, runId);
      const now = rows(rb.secondary.arn, runId);
      const lostAt = Math.max(...lostSeqs.map((s) => old.get(s) ?? -Infinity));
      let newest = -Infinity;
      for (const at of now.values()) if (at < lostAt && at > newest) newest = at;
      if (lostSeqs.length === 0 || !Number.isFinite(lostAt)) continue;
      const firstAt = Math.min(...old.values());
      rpoMs = Math.max(rpoMs, Number.isFinite(newest) ? lostAt - newest : Math.round(lostAt - firstAt + 1000 / ratePerSecond));
    }
    snap = { lost, rpoMs };
  });
  return { snapshot: () => snap, stop };
}

function first(sim: SimAws, service: string, event: string, resource: string, after: number): number {
  const e = sim.world.log.find({ service, event, resource }).find((x) => x.at >= after);
  if (!e) throw new Error(`ground truth has no ${service} ${event} of ${resource}`);
  return e.at;
}

/** The truth of the run of `rb` requested at `requestedAt` (see the module doc). */
export function runTruth(
  sim: SimAws,
  rb: BenchRunbook,
  mode: PromotionMode,
  requestedAt: number,
  loss: LossSnapshot | undefined,
): RunTruth {
  const writableAt = first(sim, 'rds', 'cluster-writable', rb.secondary.clusterId, requestedAt);
  const insyncAt = first(sim, 'route53', 'change-insync', rb.hostedZoneId, requestedAt);
  const parameterAt = first(sim, 'ssm', 'parameter-updated', rb.parameter, requestedAt);
  const recoveredAt = Math.max(writableAt, insyncAt, parameterAt);
  return {
    requestedAt,
    writableAt,
    insyncAt,
    parameterAt,
    recoveredAt,
    events: {
      'promotion-requested': requestedAt,
      'promotion-started': first(sim, 'rds', `global-${mode}-requested`, rb.globalClusterId, requestedAt),
      'promotion-finished': writableAt,
      'traffic-shift-started': first(sim, 'route53', 'change-submitted', rb.hostedZoneId, requestedAt),
      'traffic-converged': insyncAt,
      'app-reconfigured': parameterAt,
      'app-healthy': recoveredAt,
    },
    lost: loss?.lost ?? 0,
    rpoMs: loss?.rpoMs ?? 0,
  };
}
