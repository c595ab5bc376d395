/**
 * Benchmark: detection latency of the state waits against the sim's ground truth.
 *
 * For each operation (Aurora global switchover completing, restored cluster available, Route 53
 * change INSYNC, ElastiCache group available after TestFailover, FIS experiment completed, SSM
 * automation succeeded) it runs N trials, each in its own simulated world, and watches the same
 * operation with two observers at once:
 *  - `pollUntil` (activities/aws/poll.ts) at its default settings;
 *  - a loop emulating the SDK v3 waiter defaults: one immediate attempt, then a delay drawn
 *    uniformly from [minDelay, minDelay·2^(attempt-1)] capped at maxDelay (smithy util-waiter,
 *    aws-dr-api.md §0.4): 30/120 s for RDS and Route 53, 15/120 s for ElastiCache; FIS and SSM
 *    automations have no SDK waiter, so the loop uses the RDS defaults (30/120 s) there.
 *  - `pollUntil` with the adaptive schedule (`lib/poll-schedule.ts`) of the operation's usual
 *    duration (`OPERATION_DURATIONS`; the FIS experiment's from its template): "after" beside the defaults' "before".
 * Latency = observedAt (simulated clock when the observer's read first saw the final state) −
 * groundTruthAt (the scheduled instant the sim recorded for the change), in simulated time.
 *
 * Standalone: `npx tsx bench/detection-latency.ts [trials] [scale]`.
 */
import { pollUntil } from '../activities/aws/poll';
import { adaptiveSchedule, OPERATION_DURATIONS, type ExpectedDuration } from '../lib/poll-schedule';
import type { Clock } from '../lib/clock';
import { formatDuration } from '../lib/report/format';
import { loadRunbookByName } from '../runbooks/load';
import { SimAws } from '../sim';

/** One row of the benchmark table (simulated ms). */
export interface DetectionLatencyRow {
  readonly operation: string;
  readonly trials: number;
  readonly pollUntilMedianMs: number;
  readonly pollUntilMaxMs: number;
  readonly pollUntilMeanPolls: number;
  readonly sdkWaiterMedianMs: number;
  readonly sdkWaiterMaxMs: number;
  readonly sdkWaiterMeanPolls: number;
  /** The adaptive schedule (after): median / max latency and mean reads. */
  readonly adaptiveMedianMs: number;
  readonly adaptiveMaxMs: number;
  readonly adaptiveMeanPolls: number;
  /** The SDK-waiter delays used for the comparison loop, seconds. */
  readonly sdkDelays: string;
}

/** Options of the benchmark. */
export interface DetectionLatencyOptions {
  /** Trials per operation. @default 30 */
  readonly trials?: number;
  /** Simulated ms per wall ms (the sim's default is 60). @default 60 */
  readonly scale?: number;
}

interface Observed {
  readonly observedAt: number;
  readonly polls: number;
}

/** The SDK v3 waiter poll schedule (smithy util-waiter `exponentialBackoffWithJitter`) over a port read. */
async function sdkWaiterLoop<T>(opts: {
  read: () => Promise<T>;
  done: (s: T) => boolean;
  clock: Clock;
  minDelayS: number;
  maxDelayS: number;
  maxWaitS: number;
  rng: () => number;
}): Promise<Observed> {
  const { clock, minDelayS, maxDelayS } = opts;
  const start = clock.now();
  const attemptCeiling = Math.log(maxDelayS / minDelayS) / Math.log(2) + 1;
  let polls = 1;
  if (opts.done(await opts.read())) return { observedAt: clock.now(), polls };
  for (let attempt = 1; ; attempt++) {
    const delayS = attempt > attemptCeiling ? maxDelayS : minDelayS + opts.rng() * (minDelayS * 2 ** (attempt - 1) - minDelayS);
    if (clock.now() + delayS * 1000 > start + opts.maxWaitS * 1000) throw new Error('TimeoutError: waiter gave up');
    await clock.sleep(delayS * 1000);
    polls += 1;
    // An exception no acceptor matches is a RETRY (aws-dr-api.md §0.4).
    const state = await opts.read().catch(() => undefined);
    if (state !== undefined && opts.done(state)) return { observedAt: clock.now(), polls };
  }
}

interface Trial<T> {
  /** Starts the operation; returns how to read its state and when it is done. */
  readonly start: (sim: SimAws) => Promise<{ read: () => Promise<T>; done: (s: T) => boolean; truth: () => number | undefined }>;
}

interface Operation {
  readonly name: string;
  readonly sdk: { readonly minDelayS: number; readonly maxDelayS: number };
  /** The usual duration the adaptive schedule uses (undefined: not known). */
  readonly expected: ExpectedDuration | undefined;
  readonly trial: Trial<unknown>;
}

const SWITCHOVER_TARGET = 'arn:aws:rds:us-west-2:111122223333:cluster:payments-usw2';

const truthOf = (sim: SimAws, filter: { service: string; event: string; resource?: string }) => (): number | undefined =>
  sim.world.log.find(filter)[0]?.at;

/** The operations measured, each on a fresh simulated payments-prod world. */
const OPERATIONS: readonly Operation[] = [
  {
    name: 'Aurora global switchover complete',
    expected: OPERATION_DURATIONS.globalSwitchover,
    sdk: { minDelayS: 30, maxDelayS: 120 },
    trial: {
      start: async (sim) => {
        const rds = sim.rds({ region: 'us-east-1' });
        await rds.switchoverGlobalCluster({ globalClusterIdentifier: 'payments-global', targetDbClusterArn: SWITCHOVER_TARGET });
        return {
          read: () => rds.describeGlobalCluster('payments-global'),
          done: (g) =>
            (g as Awaited<ReturnType<typeof rds.describeGlobalCluster>>).status === 'available' &&
            !(g as { failoverState?: unknown }).failoverState,
          truth: truthOf(sim, { service: 'rds', event: 'global-switchover-complete' }),
        };
      },
    },
  },
  {
    name: 'Restored cluster available (PITR)',
    expected: OPERATION_DURATIONS.restoreCluster,
    sdk: { minDelayS: 30, maxDelayS: 120 },
    trial: {
      start: async (sim) => {
        const rds = sim.rds({ region: 'us-east-1' });
        await rds.restoreDbClusterToPointInTime({
          sourceDbClusterIdentifier: 'payments-use1',
          dbClusterIdentifier: 'bench-restore',
          useLatestRestorableTime: true,
          tags: { gameday: 'bench' },
        });
        return {
          read: () => rds.describeDbCluster('bench-restore'),
          done: (c) => (c as { status: string }).status === 'available',
          truth: truthOf(sim, { service: 'rds', resource: 'bench-restore', event: 'cluster-available' }),
        };
      },
    },
  },
  {
    name: 'Route 53 change INSYNC',
    expected: OPERATION_DURATIONS.route53Change,
    sdk: { minDelayS: 30, maxDelayS: 120 },
    trial: {
      start: async (sim) => {
        const r53 = sim.route53();
        const [primary] = (await r53.listResourceRecordSets({ hostedZoneId: 'Z0PAYMENTS0001' })).filter((r) => r.failover === 'PRIMARY');
        const change = await r53.changeResourceRecordSets({
          hostedZoneId: 'Z0PAYMENTS0001',
          changes: [{ action: 'UPSERT', recordSet: { ...primary!, ttl: 30 } }],
        });
        return {
          read: () => r53.getChange(change.id),
          done: (c) => (c as { status: string }).status === 'INSYNC',
          truth: truthOf(sim, { service: 'route53', event: 'change-insync' }),
        };
      },
    },
  },
  {
    name: 'ElastiCache available after TestFailover',
    expected: OPERATION_DURATIONS.elasticacheFailover,
    sdk: { minDelayS: 15, maxDelayS: 120 },
    trial: {
      start: async (sim) => {
        const ec = sim.elasticache({ region: 'us-east-1' });
        await ec.testFailover({ replicationGroupId: 'payments-sessions', nodeGroupId: '0001' });
        return {
          read: () => ec.describeReplicationGroup('payments-sessions'),
          done: (g) => (g as { status: string }).status === 'available',
          truth: truthOf(sim, { service: 'elasticache', event: 'elasticache-available' }),
        };
      },
    },
  },
  {
    name: 'FIS experiment completed',
    expected: { minMs: 120_000, maxMs: 130_000, source: 'the template: one aws:fis:wait of PT2M, plus the start' },
    sdk: { minDelayS: 30, maxDelayS: 120 },
    trial: {
      start: async (sim) => {
        const fis = sim.fis({ region: 'us-east-1' });
        const t = await fis.createExperimentTemplate({
          clientToken: 'bench',
          description: 'bench',
          roleArn: 'arn:aws:iam::111122223333:role/gameday-fis',
          targets: {},
          actions: { wait: { actionId: 'aws:fis:wait', parameters: { duration: 'PT2M' } } },
          stopConditions: [{ source: 'none' }],
        });
        const { id } = await fis.startExperiment({ experimentTemplateId: t.id, clientToken: 'bench' });
        return {
          read: () => fis.getExperiment(id),
          done: (e) => (e as { state: { status: string } }).state.status === 'completed',
          truth: truthOf(sim, { service: 'fis', resource: id, event: 'experiment-completed' }),
        };
      },
    },
  },
  {
    name: 'SSM automation Success',
    expected: OPERATION_DURATIONS.ssmAutomation,
    sdk: { minDelayS: 30, maxDelayS: 120 },
    trial: {
      start: async (sim) => {
        const ssm = sim.ssm({ region: 'us-east-1' });
        const { automationExecutionId: id } = await ssm.startAutomationExecution({
          documentName: 'gameday-FenceWrites',
          parameters: {},
          clientToken: '3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b',
        });
        return {
          read: () => ssm.getAutomationExecution(id),
          done: (x) => (x as { status: string }).status === 'Success',
          truth: truthOf(sim, { service: 'ssm', resource: id, event: 'automation-succeeded' }),
        };
      },
    },
  },
];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

async function runTrial(
  op: Operation,
  seed: number,
  scale: number,
): Promise<{ poll: Observed & { latency: number }; sdk: Observed & { latency: number }; adaptive: Observed & { latency: number } }> {
  const sim = new SimAws({ scale, seed });
  try {
    sim.seedFromRunbook(loadRunbookByName('payments-prod'));
    const { read, done, truth } = await op.trial.start(sim);
    const clock = sim.world.clock;
    let s = seed * 7919;
    const rng = (): number => (s = (s * 16807) % 2147483647) / 2147483647;
    const startedAt = clock.now();
    const [p, w, a] = await Promise.all([
      pollUntil({ read, done, clock, timeoutMs: 60 * 60_000, what: op.name }),
      sdkWaiterLoop({ read, done, clock, minDelayS: op.sdk.minDelayS, maxDelayS: op.sdk.maxDelayS, maxWaitS: 3600, rng }),
      pollUntil({ read, done, clock, timeoutMs: 60 * 60_000, what: op.name, schedule: adaptiveSchedule(op.expected), startedAt }),
    ]);
    const gt = truth();
    if (gt === undefined) throw new Error(`${op.name}: no ground-truth event recorded`);
    return {
      poll: { observedAt: p.observedAt, polls: p.polls, latency: p.observedAt - gt },
      sdk: { ...w, latency: w.observedAt - gt },
      adaptive: { observedAt: a.observedAt, polls: a.polls, latency: a.observedAt - gt },
    };
  } finally {
    sim.close();
  }
}

/** Runs the benchmark and returns one row per operation (latencies in simulated ms). */
export async function runDetectionLatencyBench(opts: DetectionLatencyOptions = {}): Promise<DetectionLatencyRow[]> {
  const trials = opts.trials ?? 30;
  const scale = opts.scale ?? 60;
  const rows: DetectionLatencyRow[] = [];
  for (const op of OPERATIONS) {
    const results = await Promise.all(Array.from({ length: trials }, (_, i) => runTrial(op, 1000 + i, scale)));
    const poll = results.map((r) => r.poll);
    const sdk = results.map((r) => r.sdk);
    const adaptive = results.map((r) => r.adaptive);
    rows.push({
      operation: op.name,
      trials,
      pollUntilMedianMs: median(poll.map((r) => r.latency)),
      pollUntilMaxMs: Math.max(...poll.map((r) => r.latency)),
      pollUntilMeanPolls: mean(poll.map((r) => r.polls)),
      sdkWaiterMedianMs: median(sdk.map((r) => r.latency)),
      sdkWaiterMaxMs: Math.max(...sdk.map((r) => r.latency)),
      sdkWaiterMeanPolls: mean(sdk.map((r) => r.polls)),
      adaptiveMedianMs: median(adaptive.map((r) => r.latency)),
      adaptiveMaxMs: Math.max(...adaptive.map((r) => r.latency)),
      adaptiveMeanPolls: mean(adaptive.map((r) => r.polls)),
      sdkDelays: `${op.sdk.minDelayS}/${op.sdk.maxDelayS}`,
    });
  }
  return rows;
}

/** The bar of issue 16: the adaptive waits need ≥ 4× fewer calls at a median detection latency ≤ 1 s. */
export function detectionVerdict(rows: readonly DetectionLatencyRow[]): string {
  const worst = Math.max(...rows.map((r) => r.adaptiveMedianMs));
  const fewest = Math.min(...rows.map((r) => r.pollUntilMeanPolls / r.adaptiveMeanPolls));
  const totalBefore = rows.reduce((a, r) => a + r.pollUntilMeanPolls, 0);
  const totalAfter = rows.reduce((a, r) => a + r.adaptiveMeanPolls, 0);
  return [
    `before = pollUntil defaults (main: 250 ms while due); after = the adaptive schedule (due interval 1 s); simulated clock`,
    `calls per wait, all operations: ${totalBefore.toFixed(0)} before, ${totalAfter.toFixed(0)} after (${(totalBefore / totalAfter).toFixed(1)}× fewer); smallest ratio ${fewest.toFixed(1)}×`,
    `after: median ≤ 1 s on every operation: ${worst <= 1000 ? 'yes' : `no (worst median ${formatDuration(worst)})`}; ≥ 4× fewer calls on every operation: ${fewest >= 4 ? 'yes' : 'no'}`,
  ].join('\n');
}

/** Formats the rows as a fixed-width table (seconds of simulated time). */
export function formatDetectionLatencyTable(rows: readonly DetectionLatencyRow[]): string {
  const s = (ms: number): string => (ms / 1000).toFixed(2);
  const header = [
    'operation',
    'n',
    'before: median s',
    'max s',
    'calls',
    'after (adaptive): median s',
    'max s',
    'calls',
    'fewer calls',
    'SDK waiter (min/max s)',
    'SDK median s',
    'SDK max s',
    'polls',
  ];
  const body = rows.map((r) => [
    r.operation,
    String(r.trials),
    s(r.pollUntilMedianMs),
    s(r.pollUntilMaxMs),
    r.pollUntilMeanPolls.toFixed(0),
    s(r.adaptiveMedianMs),
    s(r.adaptiveMaxMs),
    r.adaptiveMeanPolls.toFixed(1),
    `${(r.pollUntilMeanPolls / r.adaptiveMeanPolls).toFixed(1)}×`,
    r.sdkDelays,
    s(r.sdkWaiterMedianMs),
    s(r.sdkWaiterMaxMs),
    r.sdkWaiterMeanPolls.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

if (require.main === module) {
  const trials = Number(process.argv[2] ?? 30);
  const scale = Number(process.argv[3] ?? 60);
  runDetectionLatencyBench({ trials, scale })
    .then((rows) => {
      console.log(`Detection latency vs ground truth (simulated time, ${trials} trials per operation, sim scale ${scale}):`);
      console.log(formatDetectionLatencyTable(rows));
      console.log(detectionVerdict(rows));
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
