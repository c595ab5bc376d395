/**
 * One promotion on a real region pair with the project's canary, measured the way a run report
 * measures it (`lib/timeline.ts`) and checked against the databases' ground truth
 * (`ground-truth.ts`). Two modes:
 * - `region-loss`: the primary's region is lost (link cut, primary stopped hard), the standby is
 *   promoted, the writer endpoint moves to it; the canary rides the outage and follows.
 * - `detach`: the standby is detached and promoted while the old primary stays up and writable;
 *   the application keeps writing to it for `splitBrainMs` before it is reconfigured (a split brain).
 * Every time is wall-clock epoch ms (the canary runs on the real clock). Rows are cleaned on every
 * member and the pair re-protected afterwards, so trials can follow each other.
 */
import type { AwsClients } from '../../activities/aws/ports';
import { readCanaryRows } from '../../activities/canary/canary-reader';
import type { CanaryTarget } from '../../activities/canary/canary-store';
import { runCanaryWriterLoop } from '../../activities/canary/canary-writer';
import { createSqlCanaryConnector } from '../../activities/canary/sql-connector';
import { realClock } from '../../lib/clock';
import type { Measurement, TimelineEvent } from '../../lib/measurement-types';
import { measure } from '../../lib/timeline';
import { groundTruth, type GroundTruth } from './ground-truth';
import type { RegionPair } from './region-pair';

/** Options of {@link runRealPromotionTrial}. */
export interface RealTrialOptions {
  readonly pair: RegionPair;
  readonly runId: string;
  readonly mode: 'region-loss' | 'detach';
  /** @default 10 */
  readonly ratePerSecond?: number;
  /** Canary writes before the fault, wall ms. @default lag + 2000 */
  readonly warmupMs?: number;
  /** Canary writes on the new writer before it is stopped, wall ms. @default 1500 */
  readonly afterMs?: number;
  /** Detach: how long the app keeps writing to the old primary after the promotion. @default 1500 */
  readonly splitBrainMs?: number;
  /** @default gameday_canary */
  readonly table?: string;
}

/** What one trial measured and what the databases say. */
export interface RealTrialResult {
  readonly runId: string;
  readonly engine: RegionPair['engine'];
  readonly mode: RealTrialOptions['mode'];
  readonly lagMs: number;
  readonly timeline: readonly TimelineEvent[];
  readonly measurement: Measurement;
  readonly truth: GroundTruth;
  /** Reported lost writes = ground truth, and split-brain writes likewise. */
  readonly equal: boolean;
  /** Reported RPO − ground-truth RPO, ms (undefined when RPO was not measured). */
  readonly rpoErrorMs?: number;
  readonly configuredRate: number;
  readonly achievedRate?: number;
  /** Rows deleted per member by the cleanup. */
  readonly cleaned: readonly { readonly member: string; readonly deleted: number }[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The canary target and connector for the pair's writer endpoint (credentials of the local pair). */
export function pairCanary(pair: RegionPair, table = 'gameday_canary') {
  const aws: Pick<AwsClients, 'secrets'> = { secrets: () => ({ getDbCredentials: async () => pair.credentials }) };
  const target: CanaryTarget = {
    engine: pair.engine,
    endpoint: pair.writerEndpoint.host,
    port: pair.writerEndpoint.port,
    database: pair.database,
    secretArn: 'local:region-pair',
    region: 'local',
    table,
  };
  return { connector: createSqlCanaryConnector(aws), target };
}

/** Runs one promotion trial on `pair` (see the module doc). */
export async function runRealPromotionTrial(opts: RealTrialOptions, lagMs: number): Promise<RealTrialResult> {
  const { pair, runId, mode } = opts;
  const rate = opts.ratePerSecond ?? 10;
  const table = opts.table ?? 'gameday_canary';
  const { connector, target } = pairCanary(pair, table);
  pair.setLag(lagMs);
  const stop = new AbortController();
  const writing = runCanaryWriterLoop({
    connector,
    target,
    runId,
    ratePerSecond: rate,
    clock: realClock,
    maxDurationMs: 600_000,
    signal: stop.signal,
  });
  const timeline: TimelineEvent[] = [];
  try {
    await sleep(opts.warmupMs ?? lagMs + 2000);
    const faultAt = mode === 'region-loss' ? await pair.loseRegion() : await pair.detachStandby();
    timeline.push({ name: 'fault-injected', at: faultAt, source: mode === 'region-loss' ? 'loseRegion' : 'detachStandby' });
    const p = await pair.promoteStandby();
    timeline.push({ name: 'promotion-started', at: p.requestedAt, source: 'pg_promote / STOP REPLICA' });
    timeline.push({ name: 'promotion-finished', at: p.finishedAt, source: 'promoteStandby' });
    if (mode === 'detach') await sleep(opts.splitBrainMs ?? 1500);
    pair.repointWriter();
    timeline.push({ name: 'traffic-converged', at: Date.now(), source: 'repointWriter' });
    await sleep(opts.afterMs ?? 1500);
  } finally {
    stop.abort();
  }
  const writer = await writing;
  if (writer.firstWriteAfterOutage) timeline.push({ name: 'app-healthy', at: writer.firstWriteAfterOutage.at, source: 'canary' });
  const reader = await readCanaryRows({ connector, target, runId, clock: realClock });
  const measurement = measure({ timeline, targets: { rpoMs: 60_000, rtoMs: 600_000 }, canary: { writer, reader }, resolution: {} });
  const promotionBeganAt = timeline.find((e) => e.name === 'promotion-started')!.at;
  const truth = groundTruth(
    await pair.oldPrimaryRows(table, runId),
    await pair.newWriterRows(table, runId),
    promotionBeganAt,
    rate,
    writer.inDoubtSeqs,
  );
  const cleaned = await pair.cleanCanary(table, runId);
  await pair.reprotect();
  const rpo = measurement.rpo;
  return {
    runId,
    engine: pair.engine,
    mode,
    lagMs,
    timeline,
    measurement,
    truth,
    equal: measurement.lostWrites === truth.lostWrites && (measurement.splitBrain?.writes ?? 0) === (truth.splitBrain?.writes ?? 0),
    ...(rpo.status === 'measured' ? { rpoErrorMs: rpo.valueMs - truth.rpoMs } : {}),
    configuredRate: rate,
    ...(writer.achievedRatePerSecond !== undefined ? { achievedRate: writer.achievedRatePerSecond } : {}),
    cleaned,
  };
}
