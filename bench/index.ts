/**
 * `npm run bench`: every benchmark of the project, each printing its own table.
 * Benchmarks use the real Temporal dev server (started or reused by scripts/temporal-dev.ts) and
 * the simulated AWS. Figures are in simulated ms unless a column says wall; quote medians and
 * ratios, the machines are noisy. Select some with `npm run bench -- detection accuracy`.
 */
import { loadavg } from 'node:os';
import { formatDuration } from '../lib/report/format';
import { detectionVerdict, formatDetectionLatencyTable, runDetectionLatencyBench } from './detection-latency';
import { runMeasurementAccuracyBench } from './measurement-accuracy';
import { runPromotionOverheadBench } from './promotion-overhead';
import { formatRealReplicationTable, realRunsFrom, runRealReplicationBench } from './real-replication';
import { runRestoreConcurrencyBench } from './restore-concurrency';
import { runFleetBudgetBench } from './fleet-budget';
import { runCliRefusalBench } from './cli-refusal';
import { runFirstRefusalBench } from './first-refusal';

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

const BENCHES: Record<string, { title: string; run: () => Promise<void> }> = {
  detection: {
    title: 'State-wait detection latency vs SDK waiter defaults (issue 3)',
    run: async () => {
      // Sim 10× by default: at 60× a 10 ms wall stall of a loaded machine is 0.6 s of simulated latency.
      const trials = Number(process.env.GAMEDAY_BENCH_TRIALS ?? 30);
      const scale = Number(process.env.GAMEDAY_BENCH_SCALE ?? 10);
      print(
        `${trials} trials per operation, sim ${scale}× (GAMEDAY_BENCH_TRIALS, GAMEDAY_BENCH_SCALE); load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
      );
      const rows = await runDetectionLatencyBench({ trials, scale });
      print(formatDetectionLatencyTable(rows));
      print(detectionVerdict(rows));
    },
  },
  accuracy: {
    title:
      'RTO / RPO accuracy of the promotion workflow on a real worker, every mode, with CPU load and worker kills (issue 15), then real replication against database ground truth',
    run: async () => {
      const n = (name: string, fallback: number): number => (process.env[name] ? Number(process.env[name]) : fallback);
      print('regionPromotionWorkflow through a real worker process vs the simulated world (GAMEDAY_BENCH_RUNS per mode):');
      const { table } = await runMeasurementAccuracyBench({
        runsPerMode: n('GAMEDAY_BENCH_RUNS', 20),
        scale: n('GAMEDAY_BENCH_SCALE', 3),
        burners: n('GAMEDAY_BENCH_BURNERS', 0),
        killRuns: n('GAMEDAY_BENCH_KILL_RUNS', 2),
        ...(process.env.GAMEDAY_BENCH_QUEUE_PREFIX ? { taskQueuePrefix: process.env.GAMEDAY_BENCH_QUEUE_PREFIX } : {}),
        print,
      });
      print(table);
      print('\nReal PostgreSQL / MariaDB pairs, real lag through a delaying proxy (wall-clock ms; GAMEDAY_BENCH_REAL_RUNS per row):');
      const { rows } = await runRealReplicationBench({ runs: realRunsFrom(undefined) });
      print(formatRealReplicationTable(rows));
    },
  },
  promotion: {
    title: 'Orchestration overhead of a whole region promotion (issue 5)',
    run: async () => {
      await runPromotionOverheadBench({ print });
    },
  },
  fleet: {
    title:
      'Fleet AWS call budget: 2 worker processes, 400 runs (restore verifications, every 4th a Backtrack drill) over 4 accounts (issue 16)',
    run: async () => {
      await runFleetBudgetBench();
    },
  },
  cli: {
    title: 'Spawned CLI refusals of bad input: median and max per case over 20 spawns, with the load average (issue 11)',
    run: async () => {
      await runCliRefusalBench({ print });
    },
  },
  'first-refusal': {
    title: 'First refusal of bad workflow input on a fresh worker process vs the second (issue 11)',
    run: async () => {
      await runFirstRefusalBench({ print });
    },
  },
  restore: {
    title: '200 concurrent restore verifications on one worker (issue 7)',
    run: async () => {
      await runRestoreConcurrencyBench();
    },
  },
};

async function main(): Promise<void> {
  const selected = process.argv.slice(2);
  const unknown = selected.filter((s) => !(s in BENCHES));
  if (unknown.length > 0) {
    process.stderr.write(`unknown bench ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}\n`);
    process.exit(2);
  }
  for (const [name, bench] of Object.entries(BENCHES)) {
    if (selected.length > 0 && !selected.includes(name)) continue;
    print(`\n## ${bench.title}\n`);
    const started = Date.now();
    await bench.run();
    print(`\n(${name}: ${formatDuration(Date.now() - started)} wall)`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
